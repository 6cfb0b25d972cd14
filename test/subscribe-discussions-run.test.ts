/**
 * Delivery follows the discussion a delivered article links to (issue 16, point 1) when the
 * subscription asks for it: once per article, not for a subscription without the option, not again
 * when later comments are appended, and a discussion that cannot be followed is logged with its
 * reason while delivery goes on. Against the local Discord, with the real engine and store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backfillCursor } from '../src/app/delivery/due.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { parseFilter } from '../src/app/delivery/filter.ts';
import type { DiscussionFollower } from '../src/app/delivery/follow-discussions.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { recognise } from '../src/adapters/discussions/recognise.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { UserError } from '../src/core/errors.ts';
import type { Article } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Followed {
  readonly url: string;
  readonly articleId: string;
  readonly by: string;
}

/** Follows as DiscussionFollows does: keyed by address, `existed` the second time; refuses what is not https. */
function recordingFollower(): DiscussionFollower & { readonly calls: Followed[]; readonly followed: Map<string, Followed> } {
  const calls: Followed[] = [];
  const followed = new Map<string, Followed>();
  return {
    calls,
    followed,
    add(url, { articleId, by }) {
      calls.push({ url, articleId, by });
      if (!url.startsWith('https://')) return Promise.reject(new UserError('bad-option', `"${url}" is not a discussion Paperboy can follow`));
      const existed = followed.has(url);
      if (!existed) followed.set(url, { url, articleId, by });
      return Promise.resolve({ existed });
    },
  };
}

const HN = 'https://news.ycombinator.com/item?id=8863';
const withLink = article({ title: 'Harbour dredging starts', text: 'Dredging starts on Monday.', commentsUrl: HN, comments: [comment(1, 'About time.')] });
const withoutLink = article({ title: 'Tide tables for December', text: 'High tide at 06:12.', comments: [comment(1, 'Thanks.')] });

async function subscribed(e: EngineHarness, subs: Subscriptions, target: Target, follow: boolean | undefined): Promise<void> {
  const now = new Date().toISOString();
  const base = { source: null, keywords: null, backfill: { kind: 'all' } as const };
  const sub: Subscription = {
    ...target,
    channelName: follow ? 'following' : 'plain',
    ...base,
    cursor: await backfillCursor(e.store, base, parseFilter(null)),
    checkedAt: now,
    createdAt: now,
    createdBy: 'editor',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
    ...(follow !== undefined && { followDiscussions: follow }),
  };
  await subs.put(sub);
}

describe('GIVEN one subscription that follows discussions and two that do not', () => {
  it('THEN the linked discussion is followed once, for the subscription that asks, and not again when comments are appended', async () => {
    const e = await startEngine();
    h = e;
    await e.store.upsert(withoutLink);
    await e.store.upsert(withLink);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const follower = recordingFollower();
    const { log } = capturedLogger('info');
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, discussions: follower });
    const [following, off, never] = [e.target(), e.target(), e.target()];
    await subscribed(e, subs, following, true);
    await subscribed(e, subs, off, false);
    await subscribed(e, subs, never, undefined);

    const runs = await runner.run();
    expect(runs.map((r) => r.error)).toEqual([null, null, null]);
    for (const t of [following, off, never]) expect(checkDelivered(e.fake, t, [withoutLink, withLink])).toEqual([]);
    expect(follower.calls).toEqual([{ url: HN, articleId: withLink.id, by: `subscription:${following.channelId}` }]);

    const replied: Article = { ...withLink, comments: [comment(1, 'About time.'), comment(2, 'The channel silted up in 2019.')] };
    await e.store.upsert(replied);
    const again = await runner.run();
    expect(again.map((r) => r.articles)).toEqual([1, 1, 1]);
    expect(checkDelivered(e.fake, following, [withoutLink, replied])).toEqual([]);
    expect(follower.calls).toHaveLength(1);
  });

  it('THEN a link that cannot be followed is logged with its reason, and delivery and the other article’s follow go on', async () => {
    const e = await startEngine();
    h = e;
    const unfollowable = article({ title: 'Council minutes', text: 'The council met.', commentsUrl: 'http://council.example/minutes/comments' });
    await e.store.upsert(unfollowable);
    await e.store.upsert(withLink);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const follower = recordingFollower();
    const { log, lines } = capturedLogger('info');
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, discussions: follower });
    const t = e.target();
    await subscribed(e, subs, t, true);

    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, articles: 2 });
    expect(checkDelivered(e.fake, t, [unfollowable, withLink])).toEqual([]);
    expect([...follower.followed.keys()]).toEqual([HN]);
    const warned = lines.find((l) => l.msg === 'could not follow the discussion of a delivered article; delivery goes on');
    expect(warned).toMatchObject({
      article: unfollowable.id,
      discussion: 'http://council.example/minutes/comments',
      reason: '"http://council.example/minutes/comments" is not a discussion Paperboy can follow',
    });
    expect((await subs.get(t.guildId, t.channelId))?.posted).toBe(2);
  });

  it('THEN with the real DiscussionFollows, the delivered article’s Reddit post is followed at its canonical address, for that article, by that subscription', async () => {
    const e = await startEngine();
    h = e;
    const reddit = article({
      title: 'Dredging permits granted',
      text: 'Permits were granted.',
      commentsUrl: 'https://old.reddit.com/r/science/comments/AbC123/dredging/',
    });
    const notOne = article({ title: 'Science front page', text: 'A listing.', commentsUrl: 'https://www.reddit.com/r/science/' });
    await e.store.upsert(reddit);
    await e.store.upsert(notOne);
    const state = openBotState(e.store.db);
    const subs = new Subscriptions(state.subscriptions);
    const follows = new DiscussionFollows(state.discussions, { recognise }, e.store);
    const { log, lines } = capturedLogger('info');
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, discussions: follows });
    const t = e.target();
    await subscribed(e, subs, t, true);

    expect((await runner.run()).map((r) => r.error)).toEqual([null]);
    expect(checkDelivered(e.fake, t, [reddit, notOne])).toEqual([]);
    const followed = await follows.list();
    expect(followed.map((d) => ({ url: d.url, kind: d.kind, articleId: d.articleId, addedBy: d.addedBy }))).toEqual([
      { url: 'https://www.reddit.com/comments/abc123', kind: 'reddit', articleId: reddit.id, addedBy: `subscription:${t.channelId}` },
    ]);
    const warned = lines.find((l) => l.article === notOne.id);
    expect(warned?.reason).toMatch(/is not a discussion Paperboy can follow/);
  });
});
