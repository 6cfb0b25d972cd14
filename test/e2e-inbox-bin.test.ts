/**
 * The inbox's worker thread from the real entry point: `paperboy start` (bin/paperboy.js, the
 * compiled build) with no token runs the playground bot, whose delivery run reads the inbox in a worker.
 */
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnPaperboy } from './helpers/process.ts';

describe('GIVEN `paperboy start` with a file in the inbox', () => {
  it('THEN the file is ingested through the worker thread and moved to processed/, and the bot stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bin-inbox-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'lighthouse.jsonl'), `${JSON.stringify({ title: 'Lighthouse relit', body: 'After ten years dark.' })}\n`);
    const settled = Date.now() / 1000 - 60;
    utimesSync(join(inbox, 'lighthouse.jsonl'), settled, settled);
    const env = {
      PATH: process.env.PATH,
      PLAYGROUND_PORT: '0',
      PLAYGROUND_DATABASE_PATH: join(dir, 'playground.db'),
      INBOX_DIR: inbox,
      DELIVERY_CRON: '* * * * * *',
      LOG_LEVEL: 'info',
    };
    const bot = spawnPaperboy(['start'], env, dir);
    try {
      // Fails naming what was logged if neither line comes, at once if the process exits first.
      const stored = await bot.waitFor((l) => l.msg === 'inbox: stored' || l.msg === 'inbox: failed; moved to failed/ with the reason', 50_000);
      expect(stored).toMatchObject({ msg: 'inbox: stored', file: 'lighthouse.jsonl', added: 1 });
      expect(existsSync(join(inbox, 'processed', 'lighthouse.jsonl'))).toBe(true);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    // (node-cron may warn on stderr that a one-second schedule overlapped a run: not an error.)
    expect(bot.stderr()).not.toMatch(/error|exception/i);
  }, 60_000);
});
