/**
 * End to end (the real discord.js REST client against the local Discord, the delivery runner over a
 * stored subscription): a subscription with a filter and a role mention posts only the matching
 * articles and pings only that role, on the post alone; text in an article or comment pings no one;
 * a change of who is pinged edits no post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionOptions } from '../src/core/subscription-options.ts';
import type { Article } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { type Subscribed, subscribeAll } from './helpers/subscribed.ts';
import { capturedLogger } from './helpers/log.ts';

let e: EngineHarness;
/** What the engine logged. */
const { log, lines } = capturedLogger('debug');
let markets: string;
let sport: string;
let reader: string;

beforeAll(async () => {
  e = await startEngine({ engine: { log } });
  markets = e.fake.createRole(e.guildId, { name: 'markets', mentionable: true }).id;
  sport = e.fake.createRole(e.guildId, { name: 'sport', mentionable: true }).id;
  reader = e.fake.createUser({ username: 'reader' }).id;
  e.fake.addMember(e.guildId, reader);
});

afterAll(async () => {
  await e?.close();
});

const day = (i: number): string => `2026-11-1${i}T06:00`;

/** Stores the articles, subscribes a new channel to everything with `options`, and runs delivery once. */
async function deliver(articles: readonly Article[], options: SubscriptionOptions, keywords: string | null = null): Promise<Subscribed> {
  for (const a of articles) await e.store.upsert(a);
  const s = await subscribeAll(e);
  await s.subs.update(s.t, (sub) => ({ ...sub, keywords, options }));
  await s.runner.run();
  return s;
}

/** The posts in the channel, by title, with who each pinged and what it allowed. */
function posts(channelId: string) {
  return e.fake.messages(channelId).map((m) => ({
    title: m.embeds[0]?.title,
    roles: m.mention_roles,
    users: m.mentions.map((u) => u.id),
    everyone: m.mention_everyone,
    allowed: e.fake.sentWith(m.id)?.allowedMentions,
  }));
}

describe('GIVEN a subscription with a filter and a role mention with a filter of its own', () => {
  it('THEN only matching articles are posted, and only the one passing the mention’s filter pings that role, exactly', async () => {
    const rally = article({
      title: 'Markets rally at the harbour',
      text: 'Shares rose.',
      publishedAt: day(1),
      comments: [comment(1, `Buy now <@&${sport}> @everyone <@${reader}>`)],
    });
    const calm = article({ title: 'Markets calm before the holiday', text: 'Little moved.', publishedAt: day(2) });
    const football = article({ title: 'Football results', text: 'The harbour team won.', publishedAt: day(3) });
    const s = await deliver([rally, calm, football], {
      filter: 'title has "markets"',
      mentions: [
        { kind: 'role', id: markets, filter: 'title has "rally"' },
        { kind: 'user', id: reader, filter: 'title has "football"' },
      ],
    });
    expect(posts(s.t.channelId)).toEqual([
      { title: rally.title, roles: [markets], users: [], everyone: false, allowed: { parse: [], roles: [markets], users: [] } },
      { title: calm.title, roles: [], users: [], everyone: false, allowed: { parse: [] } },
    ]);
    const [post] = e.fake.messages(s.t.channelId);
    expect(post?.content).toBe(`<@&${markets}>`);
    // The comment names a role, a user and @everyone: its message pings none of them.
    const thread = e.fake.messages(post?.id ?? '');
    // (Escaped as markdown, but the mentions are still in its text, which the local Discord would parse if allowed.)
    expect(thread.map((m) => [m.content.includes(`<@&${sport}>`), m.content.includes('@everyone'), m.content.includes(`<@${reader}>`)])).toEqual([
      [true, true, true],
    ]);
    expect(thread.map((m) => [m.mention_roles, m.mentions, m.mention_everyone, e.fake.sentWith(m.id)?.allowedMentions])).toEqual([
      [[], [], false, { parse: [] }],
    ]);
    expect(e.fake.violations).toEqual([]);
  });
});

describe('GIVEN a mention rule changed after its articles were posted', () => {
  it('THEN the next run edits no post (pings are not in a post’s digest) and posts nothing again', async () => {
    const a = article({ title: 'Tide table for the week', text: 'High tide at six.', publishedAt: day(4), comments: [comment(1, 'Thanks.')] });
    // Keywords keep the other tests' articles out of this channel.
    const s = await deliver([a], { mentions: [{ kind: 'role', id: markets, filter: null }] }, 'tide');
    expect(posts(s.t.channelId).map((p) => p.roles)).toEqual([[markets]]);
    const before = e.fake.requests.length;
    await s.subs.update(s.t, (sub) => ({ ...sub, options: { mentions: [{ kind: 'role', id: sport, filter: null }] } }));
    await s.runner.run();
    const since = e.fake.requests.slice(before);
    expect(since.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.route}`)).toEqual([]);
    expect(e.fake.messages(s.t.channelId)).toHaveLength(1);
  });
});

describe('GIVEN a mention rule whose filter does not compile (stored before a change of the language, say)', () => {
  it('THEN it pings no one, rather than everyone, and the log names the rule', async () => {
    const a = article({ title: 'Lock gates serviced', text: 'Closed for a day.', publishedAt: day(5) });
    const s = await deliver([a], { mentions: [{ kind: 'role', id: markets, filter: 'titel has "lock"' }] }, 'lock');
    expect(posts(s.t.channelId)).toEqual([{ title: a.title, roles: [], users: [], everyone: false, allowed: { parse: [] } }]);
    expect(lines.find((l) => l.msg === 'a mention or tag rule has a filter that does not compile; it applies to no article')).toMatchObject({
      channel: s.t.channelId,
      rule: `role ${markets}`,
    });
  });
});
