import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '@paperboy/fake-discord';
import { openDatabase } from '../src/adapters/store/db.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { TOKEN } from './helpers/bot.ts';
import { BIN, type Running, spawnPaperboy } from './helpers/process.ts';

const run = promisify(execFile);

describe('GIVEN two processes that open a new database file at the same moment', () => {
  it('THEN both migrate-or-wait and ingest, and every article is stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-mp-'));
    const db = join(dir, 'shared.db');
    const folders = ['a', 'b'].map((name) => {
      const folder = join(dir, name);
      const articles = Array.from({ length: 40 }, (_, i) => ({ title: `Process ${name} article ${i}`, body: `Written by process ${name}, number ${i}.` }));
      return { folder, file: join(dir, `${name}.json`), articles };
    });
    for (const f of folders) writeFileSync(f.file, JSON.stringify(f.articles));
    const results = await Promise.all(folders.map((f) => run(process.execPath, [BIN, '--db', db, 'ingest', f.file])));
    for (const r of results) expect(r.stdout).toContain('added 40, updated 0, unchanged 0, failed 0');
    const store = ArticleStore.open(db);
    expect(store.count()).toBe(80);
    expect(store.search('process', { in: 'articles', limit: 100 }).total).toBe(80);
    store.close();
  });
});

describe('GIVEN another process holding the write lock', () => {
  it('THEN ingest waits for it instead of failing, and stores everything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-lock-'));
    const db = join(dir, 'locked.db');
    const file = join(dir, 'in.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ title: `Waited ${i}`, body: 'Text.' }))));
    const holder = openDatabase(db);
    holder.prepare('BEGIN IMMEDIATE').run();
    holder.prepare("INSERT INTO kv (key, value) VALUES ('held', 'yes')").run();
    const child = run(process.execPath, [BIN, '--db', db, 'ingest', file]);
    // Hold the lock well past the child's start-up, then let it go.
    await new Promise((r) => setTimeout(r, 2000));
    holder.prepare('COMMIT').run();
    const { stdout } = await child;
    expect(stdout).toContain('added 20, updated 0, unchanged 0, failed 0');
    holder.close();
  });
});

describe('GIVEN a bot running on a database file (the lock, issue 13 point 13)', () => {
  let fake: FakeDiscord;
  let dir: string;
  // Four or five processes start in each test, each in seconds: more on a busy machine.
  let running: Running[] = [];
  beforeEach(async () => {
    fake = await FakeDiscord.start({ botToken: TOKEN });
    fake.createGuild({ name: 'Readers' });
    dir = mkdtempSync(join(tmpdir(), 'paperboy-two-'));
  });
  afterEach(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    running = [];
    await fake.close();
  });
  const botEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_TOKEN: TOKEN,
    DATABASE_PATH: join(dir, 'bot.db'),
    LOG_LEVEL: 'info',
  });
  const start = (env: NodeJS.ProcessEnv): Running => {
    const r = spawnPaperboy(['start'], env, dir);
    running.push(r);
    return r;
  };
  const lockRows = (): unknown[] => {
    const db = openDatabase(join(dir, 'bot.db'));
    const rows = db.prepare('SELECT pid, hostname FROM process_lock').all();
    db.close();
    return rows;
  };

  it('THEN a second `paperboy start` exits 1 with one line naming the first, never connects, the CLI works beside it, and after kill -9 of the first a new one takes over at once', async () => {
    const first = start(botEnv());
    await first.waitFor((l) => l.msg === 'bot connected');
    expect(lockRows()).toEqual([{ pid: first.child.pid, hostname: hostname() }]);

    const second = await run(process.execPath, [BIN, 'start'], { env: botEnv(), cwd: dir }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(second).toMatchObject({ code: 1, stdout: '' });
    const db = join(dir, 'bot.db');
    expect(second.stderr).toMatch(
      new RegExp(
        `^paperboy: ${db} is in use by another Paperboy \\(pid ${first.child.pid} on ${hostname()}, running since \\d{4}-[\\d-]+T[\\d:.]+Z, last heartbeat \\d+ s ago\\): a second one would deliver and answer every interaction twice, so this one does not start\\. Stop the other one first; [^\\n]*\\n$`,
      ),
    );
    expect(fake.connectedSessions).toBe(1);

    // Reading and writing commands take no lock: they run beside the bot.
    const file = join(dir, 'beside.json');
    writeFileSync(file, JSON.stringify([{ title: 'Stored beside a running bot', body: 'The walrus ingests quietly.' }]));
    expect((await run(process.execPath, [BIN, '--db', db, 'ingest', file])).stdout).toContain('added 1, updated 0, unchanged 0, failed 0');
    expect((await run(process.execPath, [BIN, '--db', db, 'search', 'walrus'])).stdout).toContain('Stored beside a running bot');

    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const third = start(botEnv());
    const took = await third.waitFor((l) => l.msg === 'took over the database lock of a Paperboy that is gone');
    expect(took.previous).toMatchObject({ pid: first.child.pid, hostname: hostname() });
    await third.waitFor((l) => l.msg === 'bot connected');
    expect(lockRows()).toEqual([{ pid: third.child.pid, hostname: hostname() }]);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    // Released on a clean exit: the next start needs no takeover.
    expect(lockRows()).toEqual([]);
  }, 120_000);

  it('THEN a bot whose lock another process took over (it was unresponsive too long) stops at its next heartbeat, in one line, leaving the new holder’s lock', async () => {
    const bot = start(botEnv());
    await bot.waitFor((l) => l.msg === 'bot connected');
    // What a takeover from another host writes once this bot's heartbeat looks stale.
    const db = openDatabase(join(dir, 'bot.db'));
    db.prepare("UPDATE process_lock SET owner = 'taker', pid = 4242, hostname = 'other-host', started_at = '2026-12-01T10:00:00.000Z'").run();
    db.close();
    // The heartbeat comes every 15 s.
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(
      new RegExp(
        `^paperboy: ${join(dir, 'bot.db')}: this Paperboy stopped: it was unresponsive for longer than its database lock allows, and pid 4242 on other-host took the lock over at 2026-12-01T10:00:00.000Z\\n$`,
      ),
    );
    expect(bot.lines.filter((l) => l.msg === 'stopping')).toEqual([]);
    expect(fake.connectedSessions).toBe(0);
    expect(lockRows()).toEqual([{ pid: 4242, hostname: 'other-host' }]);
  }, 120_000);

  it('THEN a playground runs beside it (its own file), and a second playground on that file is refused naming the first', async () => {
    const bot = start(botEnv());
    await bot.waitFor((l) => l.msg === 'bot connected');
    const pgEnv = {
      PATH: process.env.PATH,
      PLAYGROUND_PORT: '0',
      PLAYGROUND_DATABASE_PATH: join(dir, 'playground.db'),
      INBOX_DIR: join(dir, 'inbox'),
      LOG_LEVEL: 'info',
    };
    const playground = start(pgEnv);
    await playground.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('playground ready'));
    const again = await run(process.execPath, [BIN, 'start'], { env: pgEnv, cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toMatch(new RegExp(`^paperboy: ${join(dir, 'playground.db')} is in use by another Paperboy \\(pid ${playground.child.pid} on `));
    expect(again.stderr.split('\n')).toHaveLength(2);
    playground.child.kill('SIGTERM');
    expect(await playground.exited).toBe(0);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 120_000);
});
