/**
 * End to end (the real discord.js REST client against the local Discord): what a run checks of a
 * subscription's destination before posting. The thread every post goes into must be a thread of the
 * subscription's channel in its own server (settings can only check that it looks like an id, and
 * the bot is in other servers too): a thread of another channel, of another server, or a channel that
 * is no thread gets nothing, and the subscription pauses saying why; the channel is looked up once a
 * run. Mention rules read relative dates from the run's clock, which a delivery run passes on.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { createLogger } from '../src/core/log.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';
import { capturedLogger } from './helpers/log.ts';
import { subscriptionToAll } from './helpers/subscribed.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';

let e: EngineHarness;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => {
  await e?.close();
});

const story = (title: string) => article({ title, text: `${title}. The harbour said so.` });

/** A thread started in `channelId` from a message of the bot's. */
async function threadIn(channelId: string, name: string): Promise<string> {
  const starter = await e.poster.send(channelId, { content: `${name}, every day` }, `starter ${name}`);
  return e.poster.startThread(channelId, starter, name);
}

/** Requests to look up channel `id` since request number `from`. */
function lookups(id: string, from: number): number {
  return e.fake.requests.slice(from).filter((r) => r.method === 'GET' && r.path === `/channels/${id}`).length;
}

describe('GIVEN a subscription whose thread setting names a thread that is not its channel’s', () => {
  it('THEN with a thread of another channel in the same server nothing is posted and the subscription pauses, naming both', async () => {
    const t = e.target();
    const elsewhere = e.target();
    const thread = await threadIn(elsewhere.channelId, 'Staff room');
    const report = await e.engine.deliver({ ...t, options: { threadId: thread } }, [story('Ferry timetable'), story('Harbour lights')]);
    expect(report.results).toEqual([]);
    expect(report.pause?.reason).toBe(
      `the thread ${thread} this subscription posts into is a thread of another channel (${elsewhere.channelId}), not of channel ${t.channelId}; ` +
        'set thread: in /subscriptions edit to a thread of this channel, or clear it with thread:-',
    );
    expect(e.fake.messages(thread)).toEqual([]);
    expect(e.fake.messages(t.channelId)).toEqual([]);
  });

  it('THEN with a thread of another server the bot is in, nothing is posted there and the subscription pauses', async () => {
    const t = e.target();
    const other = e.fake.createGuild({ name: 'Another server' });
    const channel = e.fake.createChannel(other.id, { name: 'private', type: 'text' });
    const thread = await threadIn(channel.id, 'Their thread');
    const hooked: Target = { ...t, options: { threadId: thread, webhook: { name: 'Harbour Desk', avatarUrl: null } } };
    const report = await e.engine.deliver(hooked, [story('Pier closed')]);
    expect(report.pause?.reason).toMatch(new RegExp(`^the thread ${thread} this subscription posts into is in another server, not of channel ${t.channelId};`));
    expect(e.fake.messages(thread)).toEqual([]);
    // Stopped before anything was made for it: no webhook either.
    expect(e.fake.webhooks(t.channelId)).toEqual([]);
  });

  it('THEN with a thread the bot cannot see, nothing is posted and the subscription pauses, naming the thread', async () => {
    const t = e.target();
    const other = e.fake.createGuild({ name: 'A closed server' });
    const channel = e.fake.createChannel(other.id, { name: 'staff', type: 'text' });
    const thread = await threadIn(channel.id, 'Staff only');
    e.fake.setBotPermissions(channel.id, 0n, PermissionFlagsBits.ViewChannel);
    const report = await e.engine.deliver({ ...t, options: { threadId: thread } }, [story('Quay extended')]);
    expect(report.pause?.reason).toMatch(
      new RegExp(`^the bot cannot see the thread ${thread} this subscription posts into \\(.+\\); set thread: in /subscriptions edit`),
    );
    expect(e.fake.messages(thread)).toEqual([]);
  });

  it('THEN with the id of a channel that is no thread, nothing is posted and the subscription pauses', async () => {
    const t = e.target();
    const plain = e.target();
    const report = await e.engine.deliver({ ...t, options: { threadId: plain.channelId } }, [story('Buoy moved')]);
    expect(report.pause?.reason).toMatch(
      new RegExp(`^the thread ${plain.channelId} this subscription posts into is not a thread, not of channel ${t.channelId};`),
    );
    expect(e.fake.messages(plain.channelId)).toEqual([]);
  });

  it('THEN a thread of its own channel takes every post, and is looked up once a run, not once an article', async () => {
    const t = e.target();
    const thread = await threadIn(t.channelId, 'Harbour news');
    const from = e.fake.requests.length;
    const articles = [story('Crane repaired'), story('Dredging begins'), story('Slipway rebuilt')];
    const report = await e.engine.deliver({ ...t, options: { threadId: thread } }, articles);
    expect(report).toMatchObject({ pause: null, results: articles.map(() => ({ action: 'post', error: null })) });
    expect(e.fake.messages(thread).map((m) => m.embeds[0]?.title)).toEqual(articles.map((a) => a.title));
    expect(lookups(thread, from)).toBe(1);
    // Nothing new to post: nothing to look up.
    const again = e.fake.requests.length;
    await e.engine.deliver({ ...t, options: { threadId: thread } }, articles);
    expect(lookups(thread, again)).toBe(0);
  });
});

describe('GIVEN a mention rule with a relative date (published in the last day)', () => {
  it('THEN the run’s clock decides, not the machine’s', async () => {
    const role = e.fake.createRole(e.guildId, { name: 'fresh', mentionable: true }).id;
    const options = { mentions: [{ kind: 'role' as const, id: role, filter: 'published > 1d' }] };
    const engine = createDeliveryEngine({ poster: e.poster, progress: openBotState(e.store.db).progress, log: createLogger({ level: 'silent' }) });
    const published = '2026-11-10T06:00:00.000Z';
    const fresh = { ...story('Tide tables out'), publishedAt: published };
    const stale = { ...story('Tide tables corrected'), publishedAt: published };
    const t = e.target();
    await engine.deliver({ ...t, options }, [fresh], { now: () => new Date('2026-11-10T12:00:00Z') });
    await engine.deliver({ ...t, options }, [stale], { now: () => new Date('2026-11-20T12:00:00Z') });
    const posts = e.fake.messages(t.channelId);
    expect(posts.map((m) => [m.embeds[0]?.title, m.mention_roles, e.fake.sentWith(m.id)?.allowedMentions])).toEqual([
      [fresh.title, [role], { parse: [], roles: [role], users: [] }],
      [stale.title, [], { parse: [] }],
    ]);
  });

  it('THEN a delivery run passes its clock on: a run at noon on the day of publication pings', async () => {
    const role = e.fake.createRole(e.guildId, { name: 'today', mentionable: true }).id;
    const { log } = capturedLogger('warn');
    const state = openBotState(e.store.db);
    const subs = new Subscriptions(state.subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, now: () => new Date('2026-11-10T12:00:00Z') });
    const a = { ...story('Harbour dues halved'), publishedAt: '2026-11-10T06:00:00.000Z' };
    await e.store.upsert(a);
    const t = e.target();
    const sub = await subscriptionToAll(e.store, t, '2026-11-10T11:00:00.000Z');
    await subs.put({ ...sub, options: { mentions: [{ kind: 'role', id: role, filter: 'published > 1d' }] } });
    await runner.run({ guildId: t.guildId });
    expect(e.fake.messages(t.channelId).map((m) => [m.embeds[0]?.title, m.mention_roles])).toEqual([[a.title, [role]]]);
  });
});
