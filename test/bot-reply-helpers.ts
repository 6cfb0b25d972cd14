/**
 * The real bot on a library in a real SQLite file, logged into the local Discord, for the reply
 * tests: like helpers/bot.ts, with the router's deferral delay chosen by the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord, type InteractionHandle, clientOptionsFor } from '@paperboy/fake-discord';
import { commands as productCommands } from '../commands/index.ts';
import { sqliteBotStorage } from '../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { Article } from '../src/core/model.ts';
import { startBot } from '../src/ui/discord/bot.ts';
import type { SlashCommand } from '../src/ui/discord/command.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { TOKEN } from './helpers/bot.ts';
import { capturedLogger } from './helpers/log.ts';

export interface ReplyBot {
  readonly fake: FakeDiscord;
  readonly store: SqliteStore;
  /** The member who runs the commands. */
  readonly userId: string;
  run(name: string, options?: Record<string, string>): InteractionHandle;
  /** A member types `typed` into /summarize's article option. */
  suggest(typed: string): Promise<{ name: string; value: string | number }[]>;
  close(): Promise<void>;
}

export async function startReplyBot(options: {
  readonly articles: readonly Article[];
  readonly deferAfterMs?: number;
  readonly commands?: readonly SlashCommand[];
}): Promise<ReplyBot> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-reply-'));
  const store = SqliteStore.open(join(dir, 'library.db'));
  await store.upsertMany(options.articles);
  const fake = await FakeDiscord.start({ botToken: TOKEN });
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: 'reader' });
  fake.addMember(guild.id, user.id);
  const { log } = capturedLogger('warn');
  const discord = { token: fake.botToken, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl };
  const list = [...productCommands, ...(options.commands ?? [])];
  await deployCommands(discord, list);
  const bot = await startBot({
    discord,
    store,
    ...sqliteBotStorage(store, log),
    commands: list,
    log,
    client: clientOptionsFor(fake),
    deferAfterMs: options.deferAfterMs,
  });
  const at = { guildId: guild.id, channelId: channel.id, userId: user.id };
  return {
    fake,
    store,
    userId: user.id,
    run: (name, opts = {}) => fake.runCommand({ ...at, name, options: opts }),
    suggest: (typed) => fake.autocomplete({ ...at, name: 'summarize', options: { article: typed }, focused: 'article' }).choices(),
    async close() {
      await bot.stop();
      await fake.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
