/**
 * From a file landing in the inbox to its post in the local Discord, through the whole bot: the
 * inbox's quiet period (a file must be still for 2 s), the schedule (here every second; the
 * default is every 5 minutes, which adds up to that), storing and posting. Prints one JSON line.
 * Run alone: node --import tsx bench/inbox.ts
 */
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { commands } from '../commands/index.ts';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { startBot } from '../src/ui/discord/bot.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { FakeDiscord, clientOptionsFor } from '@paperboy/fake-discord';
import { createLogger } from '../src/core/log.ts';
import { sqliteBotStorage } from '../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { percentile } from './stats.ts';

const DROPS = 5;
const token = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-bench-token-0123456789';
const inboxDir = mkdtempSync(join(tmpdir(), 'paperboy-bench-inbox-'));
const staging = mkdtempSync(join(tmpdir(), 'paperboy-bench-staging-'));
const fake = await FakeDiscord.start({ botToken: token });
const guild = fake.createGuild({ name: 'Bench' });
const channel = fake.createChannel(guild.id, { name: 'news' });
const admin = fake.createUser({ username: 'editor' });
fake.addMember(guild.id, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
const store = SqliteStore.open(':memory:');
const discord = { token, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl };
await deployCommands(discord, commands);
const log = createLogger({ level: 'warn', pretty: false });
const bot = await startBot({
  discord,
  store,
  ...sqliteBotStorage(store, log),
  commands,
  log,
  client: clientOptionsFor(fake),
  delivery: { cron: '* * * * * *', inboxDir, feedParser: createFeedParser() },
});
await fake.runCommand({ guildId: guild.id, channelId: channel.id, userId: admin.id, name: 'subscribe', options: { channel: channel.id } }).reply();

const times: number[] = [];
for (let i = 0; i < DROPS; i++) {
  const name = `drop-${i}.json`;
  writeFileSync(join(staging, name), JSON.stringify({ title: `Inbox bench article ${i}`, body: 'Dropped into the inbox.', comments: [{ text: 'First.' }] }));
  const before = fake.messages(channel.id).length;
  const landed = performance.now();
  // Moved in whole, as an uploader that writes elsewhere first does.
  renameSync(join(staging, name), join(inboxDir, name));
  while (fake.messages(channel.id).length === before) await setTimeout(20);
  times.push(performance.now() - landed);
}
await bot.stop();
await fake.close();
await store.close();
console.log(
  JSON.stringify({
    inbox_to_post_p50_ms: Math.round(percentile(times, 50)),
    inbox_to_post_max_ms: Math.round(Math.max(...times)),
    inbox_schedule_interval_ms: 1000,
    inbox_quiet_ms: 2000,
  }),
);
