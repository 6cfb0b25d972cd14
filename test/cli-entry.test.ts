/**
 * The bot's entry points as commands of the real executable: help is answered without starting
 * anything or asking for a token, and the top-level help names them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '@paperboy/fake-discord';
import { TOKEN } from './helpers/bot.ts';
import { BIN, bringBuildUpToDate, spawnPaperboy } from './helpers/process.ts';

const exec = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the bin and never throws: a non-zero exit is an outcome to assert on. */
async function paperboy(args: string[], env: Record<string, string>): Promise<Outcome> {
  bringBuildUpToDate();
  const started = Date.now();
  // A directory of its own, so no developer's .env is read; a timeout so a bot that did start fails the test.
  const options = { env: { PATH: process.env.PATH, ...env }, cwd: mkdtempSync(join(tmpdir(), 'paperboy-entry-')), timeout: 20_000 };
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], options);
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code: number | string; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr, ms: Date.now() - started };
  }
}

/**
 * Where DISCORD_API_URL points: a local port that counts every connection and closes it at once.
 * A bot that started would connect here (and fail at once), so `connections` shows whether it tried.
 */
let server: Server;
let connections: number;
let apiUrl: string;
beforeEach(async () => {
  connections = 0;
  server = createServer((socket: Socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterEach(async () => {
  await new Promise((done) => server.close(done));
});

describe('GIVEN a token set and Discord pointed at a local port', () => {
  it('THEN `start --help` and `start -h` print its usage and exit 0 at once, without connecting', async () => {
    for (const flag of ['--help', '-h']) {
      // PLAYGROUND_PORT 0: were the playground to start instead, it would not take a fixed port.
      const r = await paperboy(['start', flag], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiUrl, PLAYGROUND_PORT: '0' });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: paperboy start \[options\]/);
      expect(r.stdout).toContain('DISCORD_TOKEN');
      // Starting node alone takes up to seconds on a busy two-core machine; a bot start takes longer.
      expect(r.ms).toBeLessThan(15_000);
    }
    expect(connections).toBe(0);
  });

  it('THEN `paperboy help start` prints the same usage, and `start` with a stray argument is refused without connecting', async () => {
    const help = await paperboy(['help', 'start'], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiUrl });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: paperboy start \[options\]/);
    const stray = await paperboy(['start', 'now'], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiUrl });
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain("too many arguments for 'start'");
    expect(connections).toBe(0);
  });
});

describe('GIVEN no token at all', () => {
  it('THEN `deploy-commands --help` prints its usage and exits 0 instead of asking for a token', async () => {
    const r = await paperboy(['deploy-commands', '--help'], { DISCORD_API_URL: apiUrl });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: paperboy deploy-commands \[options\]/);
    expect(r.stdout).toContain('DISCORD_APPLICATION_ID');
    expect(connections).toBe(0);
  });

  it('THEN `deploy-commands` itself still names the missing key in one line, exit 1', async () => {
    const r = await paperboy(['deploy-commands'], { DISCORD_API_URL: apiUrl });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('paperboy: configuration: DISCORD_TOKEN: not set (see .env.example); DISCORD_APPLICATION_ID: not set (see .env.example)\n');
    expect(connections).toBe(0);
  });

  it('THEN the top-level help lists start, deploy-commands, worker and rest-proxy, one line each, before the library commands', async () => {
    const r = await paperboy(['--help'], {});
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => /^ {2}start {2,}\S/.test(l));
    const deploy = lines.findIndex((l) => /^ {2}deploy-commands {2,}\S/.test(l));
    expect(start).toBeGreaterThan(0);
    expect(deploy).toBe(start + 1);
    // The line after each is the next command, not a wrapped continuation of its description.
    expect(lines[deploy + 1]).toMatch(/^ {2}worker {2,}\S/);
    expect(lines[deploy + 2]).toMatch(/^ {2}rest-proxy {2,}\S/);
    expect(lines[deploy + 3]).toMatch(/^ {2}ingest /);
    expect(lines[start]).toContain('run the bot');
    expect(lines[deploy]).toContain('register the slash commands');
    expect(lines[deploy + 1]).toContain('no gateway');
    expect(lines[deploy + 2]).toContain('rate-limit budget');
  });
});

describe('GIVEN `paperboy --db FILE start` with a token, against the local Discord', () => {
  it('THEN the bot opens FILE, not DATABASE_PATH', async () => {
    const fake = await FakeDiscord.start({ botToken: TOKEN });
    fake.createGuild({ name: 'Readers' });
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-entry-'));
    const chosen = join(dir, 'chosen.db');
    const env = { PATH: process.env.PATH, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: join(dir, 'other.db') };
    // The helper's wait fails naming what was logged, and at once if the process exits first.
    const bot = spawnPaperboy(['--db', chosen, 'start'], env, dir);
    try {
      await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
    } finally {
      bot.child.kill('SIGTERM');
      await fake.close();
    }
    // Not its exit status: SIGTERM can come before start-up has armed its signal handlers.
    await bot.exited;
    expect(bot.lines.find((l) => l.msg === 'starting: connecting to Discord')).toMatchObject({ database: chosen });
    expect(existsSync(chosen)).toBe(true);
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });
});
