/**
 * `paperboy feed health-channel` (issue 17 point 6): an operator chooses, reads and turns off a
 * server's health channel from the command line, in the same setting /feed health-channel writes
 * and the health notices read (guildSettings.healthChannels()), on a SQLite file and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { type BotState, openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { cliWith } from './helpers/cli.ts';
import { createTestDatabase } from './helpers/postgres.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';

const GUILD = '900000000000000001';
const OTHER_GUILD = '900000000000000009';
const HEALTH = '900000000000000002';
const LATER = '900000000000000003';
const NEWS = '900000000000000004';

let dir: string;
let db: string;
const cli = cliWith(() => db);
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-healthcli-'));
  db = join(dir, 'p.db');
  const store = SqliteStore.open(db);
  // GUILD subscribes to every source; OTHER_GUILD to nothing.
  await openBotState(store.db).subscriptions.put(subscriptionFixture({ guildId: GUILD, channelId: NEWS }));
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bot's state in the file, opened as the bot would after the CLI ran. */
async function inFile<T>(read: (state: BotState) => Promise<T>): Promise<T> {
  const store = SqliteStore.open(db);
  try {
    return await read(openBotState(store.db));
  } finally {
    await store.close();
  }
}

describe('GIVEN a database file and a server without a health channel', () => {
  it('THEN --channel sets it, --show reads it back, a second --channel moves it, and no --channel turns it off', async () => {
    expect(await cli('feed', 'health-channel', '--guild', GUILD, '--show')).toEqual({
      code: 0,
      stdout: `guild ${GUILD}: feed health notices are off (turn them on with --channel ID)\n`,
      stderr: '',
    });

    const set = await cli('feed', 'health-channel', '--guild', GUILD, '--channel', HEALTH);
    expect(set).toEqual({ code: 0, stdout: `guild ${GUILD}: feed health notices go to channel ${HEALTH} (before: nowhere)\n`, stderr: '' });
    // Where the notices look: the bot sends to this channel from the next poll round.
    expect(await inFile((s) => s.guildSettings.healthChannels())).toMatchObject([{ guildId: GUILD, healthChannelId: HEALTH }]);
    expect((await cli('feed', 'health-channel', '--guild', GUILD, '--show')).stdout).toBe(`guild ${GUILD}: feed health notices go to channel ${HEALTH}\n`);
    expect(JSON.parse((await cli('feed', 'health-channel', '--guild', GUILD, '--show', '--json')).stdout)).toEqual({ guildId: GUILD, channelId: HEALTH });
    // Another server is its own setting; one that subscribes to nothing (a mistyped id, say) is set, with a note.
    expect((await cli('feed', 'health-channel', '--guild', OTHER_GUILD, '--show')).stdout).toContain('are off');
    expect(await cli('feed', 'health-channel', '--guild', OTHER_GUILD, '--channel', LATER)).toEqual({
      code: 0,
      stdout: `guild ${OTHER_GUILD}: feed health notices go to channel ${LATER} (before: nowhere)\n`,
      stderr: `note: guild ${OTHER_GUILD} has no subscriptions, so its health channel hears nothing until it subscribes (is --guild right?)\n`,
    });
    await cli('feed', 'health-channel', '--guild', OTHER_GUILD);

    const moved = await cli('feed', 'health-channel', '--guild', GUILD, '--channel', LATER, '--json');
    expect(JSON.parse(moved.stdout)).toEqual({ guildId: GUILD, channelId: LATER, previous: HEALTH });

    const off = await cli('feed', 'health-channel', '--guild', GUILD);
    expect(off).toEqual({ code: 0, stdout: `guild ${GUILD}: feed health notices are off (before: channel ${LATER})\n`, stderr: '' });
    expect(await inFile((s) => s.guildSettings.healthChannels())).toEqual([]);
    expect(await inFile((s) => s.guildSettings.get(GUILD))).toMatchObject({ guildId: GUILD, healthChannelId: null });
  });

  it('THEN a bad id, --show with --channel, or no --guild is refused with what was wrong, exits 1 and changes nothing', async () => {
    await cli('feed', 'health-channel', '--guild', GUILD, '--channel', HEALTH);
    expect(await cli('feed', 'health-channel', '--guild', GUILD, '--channel', '#feed-health')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'paperboy: --channel: expected a Discord id (digits), got `#feed-health`\n',
    });
    expect(await cli('feed', 'health-channel', '--guild', GUILD, '--show', '--channel', LATER)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'paperboy: --show only reads the setting: leave out --channel, or --show to change it\n',
    });
    const noGuild = await cli('feed', 'health-channel', '--channel', LATER);
    expect(noGuild.code).toBe(1);
    expect(noGuild.stderr).toContain("'--guild <id>'");
    expect(await inFile((s) => s.guildSettings.get(GUILD))).toMatchObject({ healthChannelId: HEALTH });
  });

  it('THEN a database file that does not exist is named, not created', async () => {
    const missing = await cliWith(() => join(dir, 'nope.db'))('feed', 'health-channel', '--guild', GUILD, '--channel', HEALTH);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no database at ${join(dir, 'nope.db')}`);
  });
});

describe('GIVEN DATABASE_URL names a PostgreSQL database', () => {
  it('THEN the CLI sets the health channel there, --show reads it, and turning it off clears it', async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 2 });
    try {
      await state.subscriptions.put(subscriptionFixture({ guildId: GUILD, channelId: NEWS }));
      vi.stubEnv('DATABASE_URL', database.url);
      expect(await cli('feed', 'health-channel', '--guild', GUILD, '--channel', HEALTH)).toEqual({
        code: 0,
        stdout: `guild ${GUILD}: feed health notices go to channel ${HEALTH} (before: nowhere)\n`,
        stderr: '',
      });
      expect(await state.guildSettings.healthChannels()).toMatchObject([{ guildId: GUILD, healthChannelId: HEALTH }]);
      expect((await cli('feed', 'health-channel', '--guild', GUILD, '--show')).stdout).toBe(`guild ${GUILD}: feed health notices go to channel ${HEALTH}\n`);
      expect(JSON.parse((await cli('feed', 'health-channel', '--guild', GUILD, '--json')).stdout)).toEqual({
        guildId: GUILD,
        channelId: null,
        previous: HEALTH,
      });
      expect(await state.guildSettings.healthChannels()).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      await state.close();
      await database.drop();
    }
  });
});
