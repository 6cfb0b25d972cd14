/**
 * The bot's real entry points as separate processes (`paperboy deploy-commands`, `paperboy start`),
 * configured only through the environment, against the local Discord.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { FakeDiscord } from '@paperboy/fake-discord';
import { TOKEN } from './helpers/bot.ts';
import { BIN, spawnPaperboy } from './helpers/process.ts';

const run = promisify(execFile);

let fake: FakeDiscord;
let guildId: string;
let dir: string;
beforeEach(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  guildId = fake.createGuild({ name: 'Readers' }).id;
  // A directory of its own, so no developer's .env is read.
  dir = mkdtempSync(join(tmpdir(), 'paperboy-proc-'));
});
afterEach(async () => {
  await fake.close();
});

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: join(dir, 'bot.db'), ...extra };
}

describe('GIVEN `paperboy deploy-commands`', () => {
  it('THEN it registers the commands in the guild over REST alone, and a second run changes nothing', async () => {
    const vars = env({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: guildId });
    const first = await run(process.execPath, [BIN, 'deploy-commands'], { env: vars, cwd: dir });
    expect(first.stdout.trim()).toBe(`registered ${commands.length} commands for guild ${guildId}`);
    expect(
      fake
        .commands(guildId)
        .map((c) => c.name)
        .sort(),
    ).toEqual(commands.map((c) => c.definition.name).sort());
    const second = await run(process.execPath, [BIN, 'deploy-commands'], { env: vars, cwd: dir });
    expect(second.stdout.trim()).toBe(`${commands.length} commands already registered for guild ${guildId}; nothing changed`);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(fake.connectedSessions).toBe(0);
    expect(fake.requests.filter((r) => r.path.includes('gateway')).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('THEN without a guild id it registers globally', async () => {
    const out = await run(process.execPath, [BIN, 'deploy-commands'], {
      env: env({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: fake.applicationId }),
      cwd: dir,
    });
    expect(out.stdout).toMatch(new RegExp(`^registered ${commands.length} commands for all guilds`));
    expect(fake.commands()).toHaveLength(commands.length);
    expect(fake.commands(guildId)).toHaveLength(0);
  });

  it('THEN a missing application id stops it with one line naming the key', async () => {
    const failed = await run(process.execPath, [BIN, 'deploy-commands'], { env: env({ DISCORD_TOKEN: TOKEN }), cwd: dir }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stderr: 'paperboy: configuration: DISCORD_APPLICATION_ID: not set (see .env.example)\n' });
  });
});

/** The messages of the process's log lines so far, in order. */
const messages = (bot: { lines: readonly Record<string, unknown>[] }): unknown[] => bot.lines.map((l) => l.msg);
const starting = (bot: { lines: readonly Record<string, unknown>[] }): unknown[] => messages(bot).filter((m) => String(m).startsWith('starting: '));

describe('GIVEN `paperboy start` with a token', () => {
  it('THEN it stores data/articles, connects, answers a command, and stops cleanly on SIGTERM, never logging the token', async () => {
    const user = fake.createUser({ username: 'reader' });
    fake.addMember(guildId, user.id);
    const channel = fake.createChannel(guildId, { name: 'news' });
    await run(process.execPath, [BIN, 'deploy-commands'], {
      env: env({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: guildId }),
      cwd: dir,
    });
    const bot = spawnPaperboy(['start'], env({ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'debug' }), dir);
    try {
      await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
      expect(messages(bot)).toContain('ingested shipped articles');
      expect(starting(bot)).toEqual(['starting: connecting to Discord']);
      const reply = await fake.runCommand({ guildId, channelId: channel.id, userId: user.id, name: 'search', options: { query: 'NATO expansion' } }).reply();
      expect(reply.embeds[0]?.description).toContain('Russia and NATO are severing ties');
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(messages(bot)).toContain('stopping');
    expect(JSON.stringify(bot.lines) + bot.stderr()).not.toContain(TOKEN);
    expect(fake.connectedSessions).toBe(0);
  });

  it('THEN a token Discord refuses stops it with a message that does not contain the token', async () => {
    const wrong = 'MTAwMDAwMDAwMDAwMDAwMDA5.Gwrong.not-the-token-the-local-discord-knows';
    const failed = await run(process.execPath, [BIN, 'start'], { env: env({ DISCORD_TOKEN: wrong }), cwd: dir }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2 });
    const { stdout, stderr } = failed;
    expect(stderr).toMatch(/^paperboy: start failed: .*token/im);
    expect(stdout + stderr).not.toContain(wrong);
  });
});

describe('GIVEN `paperboy start` without a token', () => {
  it('THEN it says so in one line, runs the playground on 127.0.0.1 with the bot connected, prints its URL, and stops cleanly on SIGTERM', async () => {
    const vars = {
      PATH: process.env.PATH,
      PLAYGROUND_PORT: '0',
      PLAYGROUND_DATABASE_PATH: join(dir, 'playground.db'),
      INBOX_DIR: join(dir, 'inbox'),
      LOG_LEVEL: 'info',
    };
    const bot = spawnPaperboy(['start'], vars, dir);
    try {
      const ready = await bot.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('playground ready'), 20_000);
      const url = String(ready.url);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(ready.msg).toBe(`playground ready: open ${url}`);
      expect(starting(bot)).toEqual([expect.stringContaining('no DISCORD_TOKEN, so running the playground')]);
      const page = await fetch(url);
      expect(await page.text()).toContain('<script type="module" src="/app.js">');
      const state = (await (await fetch(new URL('/api/state', url))).json()) as { guild: { name: string }; commands: unknown[] };
      expect(state.guild.name).toBe('Paperboy Playground');
      expect(state.commands).toHaveLength(commands.length);
      const script = await fetch(new URL('/app.js', url));
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(messages(bot)).toContain('bot connected');
  });
});
