/**
 * The real bot (discord.js client, router, commands) logged into the local Discord, with a guild,
 * a channel and a member to act as. Each test file starts its own; `close()` stops both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../commands/index.ts';
import type { Article } from '../../src/core/model.ts';
import { type Bot, startBot } from '../../src/ui/discord/bot.ts';
import { deployCommands } from '../../src/ui/discord/deploy.ts';
import { FakeDiscord, type FakeDiscordOptions, clientOptionsFor } from '@paperboy/fake-discord';
import { parseAllowList } from '../../src/adapters/feeds/allow.ts';
import { createFeedParser } from '../../src/adapters/feeds/parse-worker.ts';
import { sqliteBotStorage } from '../../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.ts';
import type { SlashCommand } from '../../src/ui/discord/command.ts';
import { capturedLogger } from './log.ts';

/** The tests' feed sites listen on 127.0.0.1, which the bot reaches only when allowed, as FEED_ALLOW_HOSTS=127.0.0.1 would. */
const LOCAL_SITES = { allow: parseAllowList('127.0.0.1') };

export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-test-token-0123456789';

export interface Harness {
  readonly fake: FakeDiscord;
  readonly bot: Bot;
  readonly store: SqliteStore;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  /** Every log line the bot wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /**
   * What startBot is given, to start the bot again on the same store and local Discord; each start
   * adds a feed parser of its own when delivery is on (the bot closes it when it stops).
   */
  readonly botOptions: Parameters<typeof startBot>[0];
  /** A member runs a slash command in the channel; options by name. */
  run(name: string, options?: Record<string, string | number>): ReturnType<FakeDiscord['runCommand']>;
  /** A member types `typed` into /summarize's article option: the suggestions. */
  suggest(typed: string): Promise<{ name: string; value: string | number }[]>;
  /** Stops the bot, runs `whileDown`, and starts it again on the same store and local Discord. */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly fake?: FakeDiscordOptions;
  readonly articles?: readonly Article[];
  readonly stateTtlMs?: number;
  readonly clock?: () => number;
  /** Commands in place of the product's list. */
  readonly commands?: readonly SlashCommand[];
  /** The app has the Message Content intent and the bot asks for it. */
  readonly messageContent?: boolean;
  /** Run the delivery side too: `true` for no schedule and no inbox (/deliver runs it). */
  readonly delivery?: boolean | { readonly cron?: string | null; readonly inboxDir?: string };
  /** How long a command may work before the router defers its answer; the router's DEFER_AFTER_MS unless set. */
  readonly deferAfterMs?: number;
  /** The library in a SQLite file, as production opens it (removed at close), instead of in memory. */
  readonly libraryFile?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ botToken: TOKEN, messageContentIntent: options.messageContent ?? false, ...options.fake });
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: 'reader', globalName: 'A Reader' });
  fake.addMember(guild.id, user.id);
  const dir = options.libraryFile ? mkdtempSync(join(tmpdir(), 'paperboy-bot-')) : undefined;
  const store = SqliteStore.open(dir ? join(dir, 'library.db') : ':memory:');
  for (const a of options.articles ?? []) await store.upsert(a);
  const { log, lines: logs } = capturedLogger('debug');
  const discord = {
    token: fake.botToken,
    applicationId: fake.applicationId,
    guildId: guild.id,
    apiUrl: fake.apiUrl,
    messageContent: options.messageContent ?? false,
  };
  const list = options.commands ?? commands;
  await deployCommands(discord, list);
  const delivery = options.delivery ? { cron: null, feedFetch: LOCAL_SITES, ...(options.delivery === true ? {} : options.delivery) } : undefined;
  const botOptions = {
    discord,
    store,
    ...sqliteBotStorage(store, log),
    commands: list,
    log,
    client: clientOptionsFor(fake),
    stateTtlMs: options.stateTtlMs,
    clock: options.clock,
    answerCooldownMs: 1500,
    deferAfterMs: options.deferAfterMs,
  };
  // A new feed parser for each start: stop() closes the one it was given.
  const start = (): Promise<Bot> => startBot({ ...botOptions, delivery: delivery && { ...delivery, feedParser: createFeedParser() } });
  let bot = await start();
  const at = { guildId: guild.id, channelId: channel.id, userId: user.id };
  return {
    fake,
    get bot() {
      return bot;
    },
    async restart(whileDown) {
      await bot.stop();
      await whileDown?.();
      bot = await start();
    },
    botOptions,
    store,
    guildId: guild.id,
    channelId: channel.id,
    userId: user.id,
    logs,
    run: (name, opts = {}) => fake.runCommand({ ...at, name, options: opts }),
    suggest: (typed) => fake.autocomplete({ ...at, name: 'summarize', options: { article: typed }, focused: 'article' }).choices(),
    async close() {
      await bot.stop();
      await fake.close();
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
