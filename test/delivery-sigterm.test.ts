/**
 * `paperboy start` as a real process, sent SIGTERM while it posts a 40-comment thread at Discord's
 * own pace (5 messages per 5 s in a channel): it exits within seconds, between two messages, with
 * its progress recording exactly what it posted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { parseFilter } from '../src/app/delivery/filter.ts';
import { backfillCursor } from '../src/app/delivery/due.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { FakeDiscord, type RequestRecord } from '@paperboy/fake-discord';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { article, comment } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { spawnPaperboy } from './helpers/process.ts';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('GIVEN `paperboy start` posting a 40-comment thread', () => {
  it('THEN SIGTERM ends the process within a few seconds, and what it recorded is what it posted', async () => {
    const f = await FakeDiscord.start({ botToken: TOKEN });
    fake = f;
    const guildId = f.createGuild({ name: 'Readers' }).id;
    const channelId = f.createChannel(guildId, { name: 'news' }).id;
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-sigterm-'));
    const dbPath = join(dir, 'bot.db');
    const long = article({
      title: 'Quillmoor council meeting',
      text: 'The Quillmoor council met until midnight.',
      comments: Array.from({ length: 40 }, (_, c) => comment(c + 1, `Remark ${c} on the meeting.`)),
    });
    const store = SqliteStore.open(dbPath);
    await store.upsert(long);
    // Only this article: the sample articles shipped with the bot are stored at start and do not match.
    const filter = { source: null, keywords: 'quillmoor', backfill: { kind: 'all' as const } };
    const now = new Date().toISOString();
    await new Subscriptions(openBotState(store.db).subscriptions).put({
      guildId,
      channelId,
      kind: 'text',
      channelName: 'news',
      ...filter,
      cursor: await backfillCursor(store, filter, parseFilter(filter.keywords)),
      checkedAt: now,
      createdAt: now,
      createdBy: 'test',
      paused: null,
      posted: 0,
      lastPostedAt: null,
      lastRunAt: null,
      lastError: null,
    });
    await store.close();
    // A run every second, so the first one starts at once.
    const env = {
      PATH: process.env.PATH,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: f.apiUrl,
      DATABASE_PATH: dbPath,
      DELIVERY_CRON: '* * * * * *',
      LOG_LEVEL: 'debug',
    };
    const isComment = (r: RequestRecord): boolean =>
      r.method === 'POST' && r.status === 200 && r.path.endsWith('/messages') && r.path !== `/channels/${channelId}/messages`;

    const first = spawnPaperboy(['start'], env, dir);
    // Once 5 comments are in, the thread's window is spent and the 6th waits in discord.js for the next.
    await new Promise<void>((resolve) => {
      let comments = 0;
      f.on('request', (r) => {
        if (isComment(r) && ++comments === 5) resolve();
      });
    });
    // discord.js says (the bot logs it at debug) that it holds the 6th for the next window.
    await first.waitFor((l) => l.msg === 'rate limited', 5000);
    const started = performance.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const stoppedMs = performance.now() - started;
    expect(code).toBe(0);
    // The message waiting for the next window is dropped and the process ends (1 s grace for a wait no one can cancel); before, about 35 s.
    expect(stoppedMs).toBeLessThan(3000);
    const planned = articleViews(long).comments.map((s) => s.message.content);
    const posted = f.messages(f.threads(channelId)[0]?.id ?? '').map((m) => m.content);
    expect(posted.length).toBeLessThan(planned.length);
    expect(posted).toEqual(planned.slice(0, posted.length));

    // What the next start would do, read from the progress the stopped process left (no request made).
    const after = SqliteStore.open(dbPath);
    const engine = createDeliveryEngine({
      poster: discordPoster(new REST({ api: f.apiUrl }), () => f.botUser.id, TOKEN),
      progress: openBotState(after.db).progress,
      log: createLogger({ level: 'silent' }),
    });
    const plan = await engine.plan({ guildId, channelId, kind: 'text' }, [long]);
    await after.close();
    expect(plan).toEqual([{ articleId: long.id, title: long.title, action: 'resume', messages: planned.length - posted.length }]);
  }, 60_000);
});
