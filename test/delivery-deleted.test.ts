/**
 * A moderator deleting one article's post or thread in Discord affects that article alone: it is set
 * aside with a plain reason (shown in /subscriptions), the subscription goes on with the others, and
 * an admin's retry posts it afresh. Only the subscription's own channel going away pauses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import subscriptionsCommand from '../commands/subscriptions.ts';
import type { Article } from '../src/core/model.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { news, subscribeAll } from './helpers/subscribed.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** news(1) with a second comment, ingested a minute from now so the subscription sees it as changed. */
async function replied(e: EngineHarness): Promise<Article> {
  const a = news(1, { comments: [comment(1, 'Seen on day 1.'), comment(2, 'And again the next day.')] });
  await e.store.upsert(a, new Date(Date.now() + 60_000));
  return a;
}

/** The post in the channel that carries this article's footer, if any. */
function postOf(e: EngineHarness, t: Target, a: Article): string | undefined {
  return e.fake.messages(t.channelId).find((m) => m.embeds[0]?.footer?.text === `Paperboy · article ${a.id}`)?.id;
}

describe('GIVEN a posted article whose post a moderator deleted in Discord', () => {
  it('THEN a new comment on it sets it aside with the reason, the new article is posted, the subscription goes on, and a retry posts it afresh', async () => {
    const e = await startEngine();
    h = e;
    await e.store.upsert(news(1));
    const { subs, runner, t, ctx } = await subscribeAll(e);
    await runner.run();
    expect(checkDelivered(e.fake, t, [news(1)])).toEqual([]);
    e.fake.deleteAsUser(postOf(e, t, news(1)) ?? '');

    const updated = await replied(e);
    await e.store.upsert(news(2));
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, paused: null, setAside: 1 });
    expect(checkDelivered(e.fake, t, [news(2)])).toEqual([]);
    const sub = await subs.get(t.guildId, t.channelId);
    expect(sub?.paused).toBeNull();
    expect(sub?.setAside?.map(({ at: _at, ...entry }) => entry)).toEqual([
      { articleId: news(1).id, title: 'Harbour news 1', reason: 'its post was deleted in Discord', retry: false },
    ]);
    const list = await subscriptionsCommand.run({}, ctx);
    expect(list.embeds?.[0]?.fields?.[0]?.value).toContain('• “Harbour news 1”: its post was deleted in Discord');

    // Later articles keep going out while it is aside.
    await e.store.upsert(news(3));
    const [next] = await runner.run();
    expect(next).toMatchObject({ error: null, paused: null });
    expect(checkDelivered(e.fake, t, [news(2), news(3)])).toEqual([]);

    // The retry posts it afresh: a new post, a new thread with every comment.
    await subscriptionsCommand.run({ retry: { id: t.channelId, name: 'news', type: 0 } }, ctx);
    const [retried] = await runner.run();
    expect(retried).toMatchObject({ error: null, paused: null, setAside: 0 });
    expect(checkDelivered(e.fake, t, [news(2), news(3), updated])).toEqual([]);
    expect((await subs.get(t.guildId, t.channelId))?.setAside).toEqual([]);
    // The one refusal is the edit of the deleted post, once.
    expect(e.fake.violations.map((v) => `${v.method} ${v.code}`)).toEqual(['PATCH 10008']);
  });
});

describe('GIVEN a posted article whose thread a moderator deleted in Discord', () => {
  it('THEN a new comment on it sets it aside with the reason, the new article is posted, the subscription goes on, and a retry posts it afresh', async () => {
    const e = await startEngine();
    h = e;
    await e.store.upsert(news(1));
    const { subs, runner, t, ctx } = await subscribeAll(e);
    await runner.run();
    const oldPost = postOf(e, t, news(1)) ?? '';
    e.fake.deleteChannel(oldPost);

    const updated = await replied(e);
    await e.store.upsert(news(2));
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, paused: null, setAside: 1 });
    const sub = await subs.get(t.guildId, t.channelId);
    expect(sub?.paused).toBeNull();
    expect(sub?.setAside?.map(({ at: _at, ...entry }) => entry)).toEqual([
      { articleId: news(1).id, title: 'Harbour news 1', reason: 'its thread was deleted in Discord', retry: false },
    ]);
    const list = await subscriptionsCommand.run({}, ctx);
    expect(list.embeds?.[0]?.fields?.[0]?.value).toContain('• “Harbour news 1”: its thread was deleted in Discord');
    // The new article went out with its thread; the old post is still there, without a thread.
    const posts = e.fake.messages(t.channelId);
    expect(posts.map((m) => m.embeds[0]?.title)).toEqual(['Harbour news 1', 'Harbour news 2']);
    expect(e.fake.messages(posts[1]?.id ?? '').map((m) => m.content)).toEqual([expect.stringContaining('Seen on day 2.')]);

    // The retry posts it afresh below: a new post and a new thread with every comment. The old post stays as the moderator left it.
    await subscriptionsCommand.run({ retry: { id: t.channelId, name: 'news', type: 0 } }, ctx);
    const [retried] = await runner.run();
    expect(retried).toMatchObject({ error: null, paused: null, setAside: 0 });
    const after = e.fake.messages(t.channelId);
    expect(after.map((m) => m.id).slice(0, 2)).toEqual(posts.map((m) => m.id));
    const fresh = after[2];
    expect(fresh?.embeds[0]?.footer?.text).toBe(`Paperboy · article ${news(1).id}`);
    expect(e.fake.messages(fresh?.id ?? '').map((m) => m.content)).toEqual([
      expect.stringContaining('Seen on day 1.'),
      expect.stringContaining('And again the next day.'),
    ]);
    expect(checkDelivered(e.fake, t, [news(1), news(2), updated]).filter((p) => !p.startsWith('posts:') && !p.includes('no thread'))).toEqual([]);
    expect((await subs.get(t.guildId, t.channelId))?.setAside).toEqual([]);
    // The one refusal is the read-back of the deleted thread, once.
    expect(e.fake.violations.map((v) => `${v.method} ${v.code}`)).toEqual(['GET 10003']);
  });
});

describe('GIVEN the subscription’s channel deleted while only new comments are due', () => {
  it('THEN the subscription pauses, and no article is blamed for it', async () => {
    const e = await startEngine();
    h = e;
    await e.store.upsert(news(1));
    const { subs, runner, t } = await subscribeAll(e);
    await runner.run();
    e.fake.deleteChannel(t.channelId);
    await replied(e);
    const [run] = await runner.run();
    expect(run?.paused).toMatch(/Unknown Channel .*Discord code 10003/);
    const sub = await subs.get(t.guildId, t.channelId);
    expect(sub?.paused?.reason).toMatch(/Unknown Channel/);
    expect(sub?.setAside ?? []).toEqual([]);
  });
});

describe('GIVEN a forum post a moderator deleted in Discord', () => {
  it('THEN a new comment on it sets that article aside, the next article is posted, and delivering it again makes a new forum post', async () => {
    const e = await startEngine();
    h = e;
    const t = e.target('forum');
    await e.engine.deliver(t, [news(1)]);
    e.fake.deleteChannel(e.fake.threads(t.channelId)[0]?.id ?? '');
    const updated = news(1, { comments: [comment(1, 'Seen on day 1.'), comment(2, 'And again the next day.')] });
    const report = await e.engine.deliver(t, [updated, news(2)]);
    expect(report.pause).toBeNull();
    expect(report.results.map((r) => [r.articleId, r.error, r.setAside ?? false])).toEqual([
      [news(1).id, 'its post was deleted in Discord', true],
      [news(2).id, null, false],
    ]);
    // What an admin's retry does: the article is handed over again and posted afresh.
    const again = await e.engine.deliver(t, [updated]);
    expect(again.results).toMatchObject([{ articleId: news(1).id, action: 'post', error: null }]);
    expect(checkDelivered(e.fake, t, [news(2), updated])).toEqual([]);
  });
});
