/**
 * An article that can never be posted blocks nothing: one the local Discord would have refused
 * (an endless commenter name) is now laid out to fit, and one Discord refuses for good (a 400)
 * is set aside with its reason while the articles after it go out; an admin's retry posts it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import subscriptionsCommand from '../commands/subscriptions.ts';
import { comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { news, subscribeAll } from './helpers/subscribed.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN an article whose commenter name is longer than a message header allows', () => {
  it('THEN it is posted with the name cut, and the articles after it are posted too', async () => {
    const e = await startEngine();
    h = e;
    const long = news(2, { comments: [comment(1, 'A reply.', { author: `Someone ${'with a very long name '.repeat(120)}` })] });
    const articles = [news(1), long, news(3)];
    for (const a of articles) await e.store.upsert(a);
    const { runner, t } = await subscribeAll(e);
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, paused: null, articles: 3 });
    expect(checkDelivered(e.fake, t, articles)).toEqual([]);
    expect(e.fake.violations).toEqual([]);
  });
});

describe('GIVEN a post Discord refuses for good (400)', () => {
  it('THEN the article is set aside with the reason, later articles go out, /subscriptions shows it, and a retry posts it', async () => {
    const e = await startEngine();
    h = e;
    const articles = [news(1), news(2), news(3)];
    for (const a of articles) await e.store.upsert(a);
    const { subs, runner, t, logs, ctx } = await subscribeAll(e);
    // The first post in the channel is refused, as Discord refuses a payload it will never take.
    e.fake.faults.failNext({ count: 1, status: 400, route: `POST /channels/${t.channelId}/messages` });

    const [first] = await runner.run();
    expect(first).toMatchObject({ error: null, paused: null, setAside: 1 });
    expect(checkDelivered(e.fake, t, [news(2), news(3)])).toEqual([]);
    const sub = await subs.get(t.guildId, t.channelId);
    expect(sub?.cursor).toBe(await e.store.positions.last());
    expect(sub?.setAside?.map(({ at: _at, ...entry }) => entry)).toEqual([
      {
        articleId: news(1).id,
        title: 'Harbour news 1',
        reason: 'Discord refused it: 400: Fault injected by the fake (HTTP 400, Discord code 0)',
        retry: false,
      },
    ]);
    expect(logs.find((l) => l.msg === 'article set aside: it cannot be posted as it is; /subscriptions retry tries it again')).toMatchObject({
      article: news(1).id,
      title: 'Harbour news 1',
    });

    // Not retried on its own: the next run posts nothing and keeps it aside.
    const [second] = await runner.run();
    expect(second).toMatchObject({ articles: 0, created: 0 });
    const list = await subscriptionsCommand.run({}, ctx);
    expect(list.embeds?.[0]?.fields?.[0]?.value).toContain(
      '⚠ 1 article set aside: it cannot be posted as it is, and later articles went on.\n• “Harbour news 1”: Discord refused it: 400: Fault injected by the fake (HTTP 400, Discord code 0)',
    );
    expect(list.embeds?.[0]?.fields?.[0]?.value).toContain(`Try again: /subscriptions retry:<#${t.channelId}>.`);

    const retry = await subscriptionsCommand.run({ retry: { id: t.channelId, name: 'news', type: 0 } }, ctx);
    expect(retry.content).toBe(
      `1 set-aside article in <#${t.channelId}> (“Harbour news 1”) will be tried again when you run /deliver. One refused again stays set aside with the new reason.`,
    );
    const [third] = await runner.run();
    expect(third).toMatchObject({ error: null, articles: 1, setAside: 0 });
    expect(checkDelivered(e.fake, t, [news(2), news(3), news(1)])).toEqual([]);
    const after = await subs.get(t.guildId, t.channelId);
    expect(after?.setAside).toEqual([]);
    expect(after?.posted).toBe(3);
    await expect(subscriptionsCommand.run({ retry: { id: t.channelId, name: 'news', type: 0 } }, ctx)).rejects.toThrow(
      `<#${t.channelId}> has no articles set aside: nothing to retry.`,
    );
  });

  it('THEN a comment Discord refuses sets its article aside part way, and the retry finishes its thread', async () => {
    const e = await startEngine();
    h = e;
    const articles = [news(1), news(2), news(3)];
    for (const a of articles) await e.store.upsert(a);
    const { subs, runner, t, ctx } = await subscribeAll(e);
    // The first message sent anywhere but the channel itself: the first comment, in article 1's thread.
    e.fake.faults.failNext({ count: 1, status: 400, route: new RegExp(`^POST /channels/(?!${t.channelId}/)\\d+/messages$`) });
    const [first] = await runner.run();
    expect(first).toMatchObject({ error: null, setAside: 1 });
    const posts = e.fake.messages(t.channelId);
    expect(posts.map((m) => m.embeds[0]?.title)).toEqual(['Harbour news 1', 'Harbour news 2', 'Harbour news 3']);
    expect(posts.map((m) => e.fake.messages(m.id).map((c) => c.content))).toEqual([
      [],
      [expect.stringContaining('Seen on day 2.')],
      [expect.stringContaining('Seen on day 3.')],
    ]);
    expect((await subs.get(t.guildId, t.channelId))?.setAside?.map((x) => x.articleId)).toEqual([news(1).id]);
    expect((await subs.get(t.guildId, t.channelId))?.cursor).toBe(await e.store.positions.last());

    await subscriptionsCommand.run({ retry: { id: t.channelId, name: 'news', type: 0 } }, ctx);
    const [second] = await runner.run();
    expect(second).toMatchObject({ error: null, articles: 1, setAside: 0 });
    expect(checkDelivered(e.fake, t, articles)).toEqual([]);
  });

  it('THEN a failure that may pass (500 after discord.js retries) still stops the run in order, with nothing set aside', async () => {
    const e = await startEngine();
    h = e;
    const articles = [news(1), news(2)];
    for (const a of articles) await e.store.upsert(a);
    const { subs, runner, t } = await subscribeAll(e);
    e.fake.faults.failNext({ count: 4, status: 500, route: `POST /channels/${t.channelId}/messages` });
    const [run] = await runner.run();
    expect(run?.error).toMatch(/Internal Server Error/);
    expect(e.fake.messages(t.channelId)).toHaveLength(0);
    expect((await subs.get(t.guildId, t.channelId))?.setAside ?? []).toEqual([]);
    await runner.run();
    expect(checkDelivered(e.fake, t, articles)).toEqual([]);
  });
});
