/**
 * The real bot against the local Discord with its short-lived state on a real Redis (own key prefix,
 * removed after): a list's buttons work across a restart onto a new Redis connection, their long
 * state and signing secret kept in Redis, not in the SQLite file.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@keyv/redis';
import { FakeDiscord, clientOptionsFor } from '@paperboy/fake-discord';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { redisBotStorage } from '../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { startBot } from '../src/ui/discord/bot.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { article } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { capturedLogger } from './helpers/log.ts';
import { BIN } from './helpers/process.ts';

const URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pb_test_${randomBytes(6).toString('hex')}:`;
const admin = createClient({ url: URL });

afterAll(async () => {
  if (!admin.isOpen) await admin.connect();
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

describe('GIVEN the bot with REDIS_URL', () => {
  it('THEN a long query’s Next button, made before a restart, pages after it: state and secret in Redis', async () => {
    const fake = await FakeDiscord.start({ botToken: TOKEN });
    const store = SqliteStore.open(':memory:');
    try {
      const guild = fake.createGuild({ name: 'Readers' });
      const channel = fake.createChannel(guild.id, { name: 'news' });
      const user = fake.createUser({ username: 'reader' });
      fake.addMember(guild.id, user.id);
      for (let i = 0; i < 7; i++)
        await store.upsert(article({ title: `Lighthouse keeper's log ${i}`, text: `The lighthouse lamp was lit at dusk on day ${i}.` }));
      const discord = { token: fake.botToken, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl };
      await deployCommands(discord, commands);
      const { log } = capturedLogger('warn');
      const start = async () => {
        const storage = await redisBotStorage(store, URL, { keyPrefix: prefix, log });
        const bot = await startBot({ discord, store, state: storage.state, keyv: storage.keyv, commands, log, client: clientOptionsFor(fake) });
        return { stop: () => bot.stop().then(() => storage.close()) };
      };

      let bot = await start();
      // Longer than a custom id holds, so the query is kept in keyv and the id carries its hash.
      const query = Array.from({ length: 14 }, () => 'lighthouse').join(' ');
      const first = await fake
        .runCommand({ guildId: guild.id, channelId: channel.id, userId: user.id, name: 'search', options: { query, scope: 'articles' } })
        .reply();
      expect(first.embeds[0]?.footer?.text).toMatch(/^Results 1–5 of 7 · page 1 of 2/);
      const next = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
      expect(next.custom_id).toContain('~@');
      if (!admin.isOpen) await admin.connect();
      const keys = await admin.keys(`${prefix}bot:*`);
      expect(keys).toHaveLength(2);
      expect(keys).toContain(`${prefix}bot:state-secret`);
      expect(keys.some((k) => k.startsWith(`${prefix}bot:state:`))).toBe(true);
      expect(store.db.prepare("SELECT count(*) AS n FROM kv WHERE key LIKE 'bot:%'").get()).toEqual({ n: 0 });

      await bot.stop();
      bot = await start();
      const paged = await fake.clickButton({ messageId: first.message?.id ?? '', customId: next.custom_id, userId: user.id }).reply();
      expect(paged.embeds[0]?.footer?.text).toMatch(/^Results 6–7 of 7 · page 2 of 2/);
      await bot.stop();
    } finally {
      await fake.close();
      await store.close();
    }
  }, 20_000);
});

describe('GIVEN `paperboy start` with a REDIS_URL nothing answers', () => {
  it('THEN start-up stops with one line naming REDIS_URL and the host, never the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-redis-'));
    const env = {
      PATH: process.env.PATH,
      DISCORD_TOKEN: TOKEN,
      DATABASE_PATH: join(dir, 'bot.db'),
      REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
      LOG_LEVEL: 'silent',
    };
    const failed = await promisify(execFile)(process.execPath, [BIN, 'start'], { env, cwd: dir }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr).toMatch(/^paperboy: start failed: REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1: .+\n$/);
    expect(failed.stdout + failed.stderr).not.toContain('hunter2');
  }, 20_000);
});
