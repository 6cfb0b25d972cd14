import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PROJECT_ROOT, loadConfig, requireDiscord } from '../src/config.ts';

describe('GIVEN the environment', () => {
  it('THEN nothing set gives the defaults, with the database under the project’s data/', () => {
    expect(loadConfig({})).toEqual({
      databasePath: resolve(PROJECT_ROOT, 'data', 'paperboy.db'),
      redisUrl: null,
      logLevel: 'info',
      deliveryCron: '*/5 * * * *',
      inboxDir: resolve(PROJECT_ROOT, 'data', 'inbox'),
      maxInputBytes: 16 * 1024 * 1024,
      // Feeds reach public addresses only, until FEED_ALLOW_HOSTS names more.
      feedAllow: { hosts: [], ranges: [] },
      playground: { host: '127.0.0.1', port: 7878, databasePath: resolve(PROJECT_ROOT, 'data', 'playground.db') },
      discord: { token: null, applicationId: null, guildId: null, apiUrl: 'https://discord.com/api', messageContent: false },
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
