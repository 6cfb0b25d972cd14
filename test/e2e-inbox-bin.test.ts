/**
 * The inbox's worker thread from the real entry point: `paperboy start` (bin/paperboy.js, through
 * tsx) with no token runs the playground bot, whose delivery run reads the inbox in a worker.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/paperboy.js');

describe('GIVEN `paperboy start` with a file in the inbox', () => {
  it('THEN the file is ingested through the worker thread and moved to processed/, and the bot stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bin-inbox-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'lighthouse.jsonl'), `${JSON.stringify({ title: 'Lighthouse relit', body: 'After ten years dark.' })}\n`);
    const settled = Date.now() / 1000 - 60;
    utimesSync(join(inbox, 'lighthouse.jsonl'), settled, settled);
    const env = { PATH: process.env.PATH, PLAYGROUND_PORT: '0', PLAYGROUND_DATABASE_PATH: join(dir, 'playground.db'), INBOX_DIR: inbox, DELIVERY_CRON: '* * * * * *', LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, [BIN, 'start'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let stored: Record<string, unknown> | null = null;
      for await (const line of createInterface({ input: child.stdout })) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === 'inbox: stored' || entry.msg === 'inbox: failed; moved to failed/ with the reason') {
          stored = entry;
          break;
        }
      }
      expect(stored).toMatchObject({ msg: 'inbox: stored', file: 'lighthouse.jsonl', added: 1 });
      expect(existsSync(join(inbox, 'processed', 'lighthouse.jsonl'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // (node-cron may warn on stderr that a one-second schedule overlapped a run: not an error.)
    expect(stderr).not.toMatch(/error|exception/i);
  }, 60_000);
});
