import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PROJECT_ROOT, checkShardIds, loadConfig, parseShardIds, requireDiscord } from '../src/config.ts';

describe('GIVEN the environment', () => {
  it('THEN nothing set gives the defaults, with the database under the project’s data/', () => {
    expect(loadConfig({})).toEqual({
      databasePath: resolve(PROJECT_ROOT, 'data', 'paperboy.db'),
      redisUrl: null,
      redisPrefix: 'paperboy:',
      logLevel: 'info',
      deliveryCron: '*/5 * * * *',
      inboxDir: resolve(PROJECT_ROOT, 'data', 'inbox'),
      maxInputBytes: 16 * 1024 * 1024,
      // Feeds reach public addresses only, until FEED_ALLOW_HOSTS names more.
      feedAllow: { hosts: [], ranges: [] },
      // A feed failing a day is paused.
      feedPauseAfterMs: 86_400_000,
      discussions: { requestsPerRun: 100, minIntervalMs: 600_000 },
      playground: { host: '127.0.0.1', port: 7878, databasePath: resolve(PROJECT_ROOT, 'data', 'playground.db') },
      discord: { token: null, applicationId: null, guildId: null, apiUrl: 'https://discord.com/api', messageContent: false, restProxy: null },
      // One process runs everything on SQLite: one shard, delivery on, no health server.
      databaseUrl: null,
      poolMax: 10,
      shards: { count: 1, ids: [0] },
      delivery: true,
      health: null,
      restProxy: { host: '127.0.0.1', port: 8090 },
      leaseMs: 60_000,
    });
  });

  it('THEN a relative DATABASE_PATH resolves against the current directory, and empty counts as unset', () => {
    expect(loadConfig({ DATABASE_PATH: 'x/y.db' }).databasePath).toBe(resolve('x/y.db'));
    expect(loadConfig({ DATABASE_PATH: '' }).databasePath).toBe(resolve(PROJECT_ROOT, 'data', 'paperboy.db'));
  });

  it('THEN a bad value stops with one line naming the key', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^configuration: LOG_LEVEL: /);
  });

  it('THEN the playground keys are read, and a port that is no port is named', () => {
    const { playground } = loadConfig({ PLAYGROUND_HOST: '0.0.0.0', PLAYGROUND_PORT: '0', PLAYGROUND_DATABASE_PATH: 'p.db' });
    expect(playground).toEqual({ host: '0.0.0.0', port: 0, databasePath: resolve('p.db') });
    expect(() => loadConfig({ PLAYGROUND_PORT: 'http' })).toThrow(/^configuration: PLAYGROUND_PORT: expected a port number$/);
    expect(() => loadConfig({ PLAYGROUND_PORT: '70000' })).toThrow(/^configuration: PLAYGROUND_PORT: expected a port from 0 to 65535$/);
  });

  it('THEN the result is frozen, nested parts too', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.discord)).toBe(true);
  });

  it('THEN the Discord keys are read, and the API URL loses its trailing slash', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const config = loadConfig({
      DISCORD_TOKEN: token,
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:5000/api/',
    });
    expect(config.discord).toEqual({
      token,
      applicationId: '123456789012345678',
      guildId: '223456789012345678',
      apiUrl: 'http://127.0.0.1:5000/api',
      messageContent: false,
      restProxy: null,
    });
    expect(loadConfig({ DISCORD_MESSAGE_CONTENT: 'true' }).discord.messageContent).toBe(true);
    expect(() => loadConfig({ DISCORD_MESSAGE_CONTENT: 'yes' })).toThrow(/^configuration: DISCORD_MESSAGE_CONTENT: expected true or false/);
    expect(requireDiscord(config, { applicationId: true })).toMatchObject({ token, applicationId: '123456789012345678' });
  });

  it('THEN a malformed Discord key is named, and the token never appears in the message', () => {
    const bad = 'not-a-token-but-a-secret';
    expect(() => loadConfig({ DISCORD_TOKEN: bad })).toThrow(/^configuration: DISCORD_TOKEN: expected a bot token/);
    expect(() => loadConfig({ DISCORD_TOKEN: bad })).not.toThrow(new RegExp(bad));
    expect(() => loadConfig({ DISCORD_GUILD_ID: '12ab' })).toThrow(/^configuration: DISCORD_GUILD_ID: expected a Discord id/);
    expect(() => loadConfig({ DELIVERY_CRON: 'every 5 minutes' })).toThrow(/^configuration: DELIVERY_CRON: expected a cron expression/);
    expect(loadConfig({ DELIVERY_CRON: '0 * * * *' }).deliveryCron).toBe('0 * * * *');
    expect(() => loadConfig({ DISCORD_API_URL: 'discord.com' })).toThrow(/^configuration: DISCORD_API_URL: expected an http\(s\) URL/);
  });

  it('THEN the bot without a token, or deploying without an application id, stops naming the key', () => {
    expect(() => requireDiscord(loadConfig({}))).toThrow(/^configuration: DISCORD_TOKEN: not set \(see \.env\.example\)$/);
    const token = 'MTIz.GaBcDe.abc';
    expect(requireDiscord(loadConfig({ DISCORD_TOKEN: token })).applicationId).toBeNull();
    expect(() => requireDiscord(loadConfig({ DISCORD_TOKEN: token }), { applicationId: true })).toThrow(/^configuration: DISCORD_APPLICATION_ID: not set/);
  });

  it('THEN INGEST_MAX_MB sets the input cap in megabytes, and a value that is no size is named', () => {
    expect(loadConfig({ INGEST_MAX_MB: '0.5' }).maxInputBytes).toBe(512 * 1024);
    expect(() => loadConfig({ INGEST_MAX_MB: 'lots' })).toThrow(/^configuration: INGEST_MAX_MB: expected a number of megabytes, such as 16$/);
    expect(() => loadConfig({ INGEST_MAX_MB: '0' })).toThrow(/^configuration: INGEST_MAX_MB: expected a number of megabytes above 0, such as 16$/);
  });
});

describe('GIVEN the settings for several processes', () => {
  it('THEN DATABASE_URL takes postgres:// or postgresql://, and a bad one is named without echoing its password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://pb:secret@db.internal:5432/paperboy' }).databaseUrl).toBe('postgres://pb:secret@db.internal:5432/paperboy');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/paperboy' }).databaseUrl).toBe('postgresql://db/paperboy');
    const bad = () => loadConfig({ DATABASE_URL: 'mysql://pb:secret@db/paperboy' });
    expect(bad).toThrow(/^configuration: DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(bad).not.toThrow(/secret/);
  });

  it('THEN REDIS_PREFIX sets what Redis keys start with, and one with spaces or past 64 characters is named', () => {
    expect(loadConfig({ REDIS_PREFIX: 'news-bot:' }).redisPrefix).toBe('news-bot:');
    expect(() => loadConfig({ REDIS_PREFIX: 'a b' })).toThrow(/^configuration: REDIS_PREFIX: expected letters, digits and : \. _ - \(at most 64\)/);
    expect(() => loadConfig({ REDIS_PREFIX: 'x'.repeat(65) })).toThrow(/^configuration: REDIS_PREFIX: /);
  });

  it('THEN DATABASE_POOL_MAX is a whole number from 1 to 100', () => {
    expect(loadConfig({ DATABASE_POOL_MAX: '25' }).poolMax).toBe(25);
    for (const value of ['0', '101', '2.5', 'many']) {
      expect(() => loadConfig({ DATABASE_POOL_MAX: value }), value).toThrow(
        /^configuration: DATABASE_POOL_MAX: expected a number of connections from 1 to 100, such as 10$/,
      );
    }
  });

  it('THEN SHARD_COUNT alone runs every shard of it, and auto leaves the ids to Discord’s count', () => {
    expect(loadConfig({ SHARD_COUNT: '4' }).shards).toEqual({ count: 4, ids: [0, 1, 2, 3] });
    expect(loadConfig({ SHARD_COUNT: 'auto' }).shards).toEqual({ count: 'auto', ids: 'all' });
    expect(loadConfig({ SHARD_COUNT: 'auto', SHARD_IDS: '3' }).shards).toEqual({ count: 'auto', ids: [3] });
    for (const value of ['0', '-1', '1.5', 'AUTO', 'two', '10001']) {
      expect(() => loadConfig({ SHARD_COUNT: value }), value).toThrow(
        /^configuration: SHARD_COUNT: expected auto or a whole number of shards from 1 to 10000$/,
      );
    }
  });

  it('THEN SHARD_IDS takes ids and ranges, sorted, and refuses ids at or above SHARD_COUNT naming both keys', () => {
    expect(loadConfig({ SHARD_COUNT: '6', SHARD_IDS: '4, 0,2-3' }).shards).toEqual({ count: 6, ids: [0, 2, 3, 4] });
    expect(() => loadConfig({ SHARD_COUNT: '2', SHARD_IDS: '1-3' })).toThrow(
      /^configuration: SHARD_IDS: expected ids from 0 to 1 \(SHARD_COUNT is 2\), got 2, 3$/,
    );
    // Unset SHARD_COUNT is 1: SHARD_IDS=1 alone is a mistake, not a second shard.
    expect(() => loadConfig({ SHARD_IDS: '1' })).toThrow(/SHARD_IDS: expected ids from 0 to 0 \(SHARD_COUNT is 1\), got 1$/);
  });

  it('THEN a malformed, reversed, repeated or oversized SHARD_IDS is refused, naming the part', () => {
    expect(() => loadConfig({ SHARD_IDS: '0,,1' })).toThrow(/^configuration: SHARD_IDS: expected shard ids and ranges such as 0,2-3, got ``$/);
    expect(() => loadConfig({ SHARD_IDS: '1-' })).toThrow(/got `1-`$/);
    expect(() => loadConfig({ SHARD_IDS: '-1' })).toThrow(/got `-1`$/);
    expect(() => loadConfig({ SHARD_IDS: '3-1' })).toThrow(/^configuration: SHARD_IDS: expected a range from low to high, got `3-1`$/);
    expect(() => loadConfig({ SHARD_COUNT: '8', SHARD_IDS: '0-3,3' })).toThrow(/^configuration: SHARD_IDS: shard 3 is listed twice$/);
    expect(() => parseShardIds('0-99999')).toThrow('expected shard ids below 10000, got `0-99999`');
    expect(() => parseShardIds('1,'.repeat(600))).toThrow('expected at most 1000 characters');
    // A long run of digits and spaces is refused by length, and the part quoted is cut short.
    expect(() => parseShardIds(`${'1'.repeat(900)}-`)).toThrow(/got `1{20}`$/);
  });

  it('THEN checkShardIds is the same check for a count Discord gives later', () => {
    expect(() => checkShardIds([0, 1], 2)).not.toThrow();
    expect(() => checkShardIds([0, 5, 6, 7, 8, 9, 10], 2)).toThrow(
      new ConfigError('configuration: SHARD_IDS: expected ids from 0 to 1 (SHARD_COUNT is 2), got 5, 6, 7, 8, 9, …'),
    );
  });

  it('THEN DELIVERY, the health check, the REST proxy and the lease are read', () => {
    const config = loadConfig({
      DELIVERY: 'off',
      HEALTH_PORT: '9100',
      HEALTH_HOST: '0.0.0.0',
      DISCORD_REST_PROXY: 'http://10.0.0.5:8090/',
      REST_PROXY_PORT: '0',
      REST_PROXY_HOST: '10.0.0.5',
      DELIVERY_LEASE_SECONDS: '2.5',
    });
    expect(config).toMatchObject({
      delivery: false,
      health: { host: '0.0.0.0', port: 9100 },
      restProxy: { host: '10.0.0.5', port: 0 },
      leaseMs: 2500,
      discord: { restProxy: 'http://10.0.0.5:8090' },
    });
    expect(loadConfig({ HEALTH_PORT: '0' }).health).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => loadConfig({ DELIVERY: 'yes' })).toThrow(/^configuration: DELIVERY: expected on or off$/);
    expect(() => loadConfig({ HEALTH_PORT: '99999' })).toThrow(/^configuration: HEALTH_PORT: expected a port from 0 to 65535$/);
    expect(() => loadConfig({ REST_PROXY_PORT: 'x' })).toThrow(/^configuration: REST_PROXY_PORT: expected a port number, such as 8090$/);
    expect(() => loadConfig({ DISCORD_REST_PROXY: 'proxy:8090' })).toThrow(
      /^configuration: DISCORD_REST_PROXY: expected the http URL of a paperboy rest-proxy/,
    );
    // A password in the proxy's URL or Discord's would be logged at start: refused, naming the key, never the value.
    for (const [key, url] of [
      ['DISCORD_REST_PROXY', 'http://paperboy:hunter2@10.0.0.5:8090'],
      ['DISCORD_REST_PROXY', 'http://hunter2@10.0.0.5:8090'],
      ['DISCORD_API_URL', 'https://bot:hunter2@discord.com/api'],
    ] as const) {
      const error = (() => {
        try {
          loadConfig({ [key]: url });
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(new RegExp(`^configuration: ${key}: expected no user name or password in the URL: `));
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).not.toContain('paperboy:');
    }
    expect(() => loadConfig({ DELIVERY_LEASE_SECONDS: '1' })).toThrow(
      /^configuration: DELIVERY_LEASE_SECONDS: expected a number of seconds from 2 up, such as 60$/,
    );
    expect(Object.isFrozen(loadConfig({ SHARD_COUNT: '2' }).shards.ids)).toBe(true);
  });
});

describe('GIVEN the documentation of the settings', () => {
  it('THEN every key in .env.example is in the README’s configuration table, and the other way round', () => {
    const example = readFileSync(resolve(PROJECT_ROOT, '.env.example'), 'utf8');
    const readme = readFileSync(resolve(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const inExample = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    const inTable = [...table.matchAll(/^\| (`[A-Z][A-Z0-9_]*`(?:, `[A-Z][A-Z0-9_]*`)*) \|/gm)]
      .flatMap((m) => (m[1] ?? '').split(', ').map((k) => k.slice(1, -1)))
      .sort();
    expect(inTable).toEqual(inExample);
    expect(inExample).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'SHARD_COUNT', 'SHARD_IDS', 'DELIVERY', 'HEALTH_PORT', 'DISCORD_REST_PROXY', 'DELIVERY_LEASE_SECONDS']),
    );
  });
});
