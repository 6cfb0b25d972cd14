/**
 * The delivery engine against the local Discord with the real discord.js REST client: what it
 * posts, appends and edits, when it pauses, and that it keeps to the rate limits.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { articleViews, threadTitle } from '../src/app/delivery/messages.ts';
import { renderThreadName } from '../src/ui/discord/render.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { sampleArticle } from './text-sample.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

describe('GIVEN the plan for an article', () => {
  it('THEN the sample gets a post with its summary and comment count, and one header per comment in order', () => {
    const a = sampleArticle();
    const plan = articleViews(a);
    const embed = plan.post.embeds?.[0];
    expect(embed?.title).toBe(a.title);
    expect(embed?.fields?.find((f) => f.name === 'Comments')?.value).toBe('4 comments');
    expect(plan.threadName).toBe(a.title);
    const headers = plan.comments.map((s) => s.message.content?.split('\n')[0]);
    expect(headers.filter((x) => !x?.includes('(continued)'))).toEqual([
      '**#1** · 2021-10-20 10:12 · rating -1',
      '**#2** · 2021-10-20 11:19 · rating 0',
      '**#3** · 2021-10-20 13:54 · rating 0',
      '**#4** · 2021-10-24 17:51 · rating 0',
    ]);
    // Comment 1 quotes the article: those paragraphs are block quotes.
    expect(plan.comments[0]?.message.content).toMatch(/\n> /);
  });

  it('THEN a 10,000-character comment is split at sentence ends into messages that fit, losing no word', () => {
    const text = Array.from({ length: 250 }, (_, i) => `Sentence ${i} says something @everyone should read.`).join(' ');
    const plan = articleViews(article({ title: 'Long', comments: [comment(1, text)] }));
    expect(plan.comments.length).toBeGreaterThan(5);
    for (const s of plan.comments) {
      expect(s.message.content?.length).toBeLessThanOrEqual(2000);
      expect(s.message.content).toMatch(/read\.$/);
    }
    const words = plan.comments.map((s) => unescape(s.message.content?.split('\n').slice(1).join('\n') ?? '')).join(' ');
    expect(words).toBe(text);
  });

  it('THEN hostile text (markdown, mention tags, masked links) is escaped so it shows exactly as written', () => {
    const text = 'The mayor said **nothing** to <@123> and @everyone. Critics called it _a disgrace_ [here](http://evil.example). Nobody replied.';
    const said = '<@&9> ~~gone~~ `code` and ||spoiler||';
    const plan = articleViews(article({ title: 'Mayor **silent** <@123>', text, comments: [comment(1, said)] }));
    const embed = plan.post.embeds?.[0];
    expect(embed?.title).toBe('Mayor \\*\\*silent\\*\\* \\<@123>');
    expect(unescape(embed?.description ?? '')).toBe(text);
    const body = plan.comments[0]?.message.content?.split('\n').slice(1).join('\n') ?? '';
    expect(unescape(body)).toBe(said);
    for (const shown of [embed?.description ?? '', body]) expect(shown).not.toMatch(/(?<!\\)(<@|\*\*|\[here\]|~~|``|\|\|)/);
  });

  it('THEN a long title becomes a thread name of at most 100 characters, cut at a word', () => {
    const name = renderThreadName(threadTitle('Word '.repeat(40)));
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/Word…$/);
  });
});

describe('GIVEN articles delivered to a text channel', () => {
  it('THEN each gets a post and a thread with its comments, once, and a second run posts nothing', async () => {
    h = await startEngine();
    const t = h.target();
    const articles: Article[] = [
      sampleArticle(),
      article({ title: 'Second @everyone <@1>', text: '**Bold** claim.', comments: [comment(1, 'First!'), comment(2, '<@&9> ping?')] }),
    ];
    const report = await h.engine.deliver(t, articles);
    expect(report.pause).toBeNull();
    expect(report.results.map((r) => [r.action, r.error])).toEqual([
      ['post', null],
      ['post', null],
    ]);
    expect(checkDelivered(h.fake, t, articles)).toEqual([]);
    const all = [...h.fake.messages(t.channelId), ...h.fake.threads(t.channelId).flatMap((th) => h?.fake.messages(th.id) ?? [])];
    expect(
      all
        .filter((m) => m.mention_everyone || m.mentions.length > 0 || m.mention_roles.length > 0)
        .map((m) => ({ id: m.id, content: m.content, mention_everyone: m.mention_everyone, mentions: m.mentions, mention_roles: m.mention_roles })),
    ).toEqual([]);
    const again = await h.engine.deliver(t, articles);
    expect(again.results.map((r) => r.action)).toEqual(['none', 'none']);
    expect(checkDelivered(h.fake, t, articles)).toEqual([]);
    expect(h.fake.violations).toEqual([]);
  });

  it('THEN comments that arrive later are appended to the same thread, and the post’s count is edited', async () => {
    h = await startEngine();
    const t = h.target();
    const first = article({ title: 'Growing discussion', comments: [comment(1, 'One.')] });
    await h.engine.deliver(t, [first]);
    const more = { ...first, comments: [...first.comments, comment(2, 'Two.'), comment(3, 'Three.')] };
    const report = await h.engine.deliver(t, [more]);
    expect(report.results[0]).toMatchObject({ action: 'append', created: 2, edited: 1, error: null });
    expect(checkDelivered(h.fake, t, [more])).toEqual([]);
    expect(h.fake.messages(t.channelId)[0]?.embeds[0]?.fields?.find((f) => f.name === 'Comments')?.value).toBe('3 comments');
  });

  it('THEN an article whose text changed has its post edited in place, not posted again', async () => {
    h = await startEngine();
    const t = h.target();
    const a = article({ title: 'Correction', text: 'The bridge opened in 1990.' });
    await h.engine.deliver(t, [a]);
    const fixed = { ...a, body: [{ type: 'paragraph' as const, text: 'The bridge opened in 1991.' }] };
    const report = await h.engine.deliver(t, [fixed]);
    expect(report.results[0]).toMatchObject({ action: 'edit', created: 0, edited: 1 });
    expect(h.fake.messages(t.channelId)).toHaveLength(1);
    expect(h.fake.messages(t.channelId)[0]?.embeds[0]?.description).toBe('The bridge opened in 1991.');
  });
});

describe('GIVEN a posted article whose edit Discord keeps failing (5xx), and a new article after it', () => {
  it('THEN the failed edit is reported for that article alone and the new article is posted in the same run', async () => {
    h = await startEngine();
    const t = h.target();
    const a = article({ title: 'Correction pending', text: 'The ferry runs hourly.' });
    await h.engine.deliver(t, [a]);
    const changed = { ...a, body: [{ type: 'paragraph' as const, text: 'The ferry runs every two hours.' }] };
    const b = article({ title: 'Fresh news', comments: [comment(1, 'Noted.')] });
    // discord.js tries a 5xx four times before giving up.
    h.fake.faults.failNext({ count: 4, status: 500, route: `PATCH /channels/${t.channelId}/messages/` });
    const report = await h.engine.deliver(t, [changed, b]);
    expect(report.pause).toBeNull();
    expect(report.results.find((r) => r.articleId === a.id)).toMatchObject({ action: 'edit', edited: 0 });
    expect(report.results.find((r) => r.articleId === a.id)?.error).toMatch(/edit in channel \d+: Discord answered 500/);
    expect(report.results.find((r) => r.articleId === b.id)).toMatchObject({ action: 'post', created: 2, error: null });
    expect(checkDelivered(h.fake, t, [a, b])).toEqual([]);
    // The edit is tried again on the next run.
    expect((await h.engine.deliver(t, [changed, b])).results.map((r) => [r.action, r.error])).toEqual([
      ['edit', null],
      ['none', null],
    ]);
  });
});

describe('GIVEN a forum channel', () => {
  it('THEN each article is a forum post whose thread holds its comments', async () => {
    h = await startEngine();
    const t = h.target('forum');
    const articles = [sampleArticle()];
    await h.engine.deliver(t, articles);
    expect(h.fake.threads(t.channelId).map((th) => th.name)).toEqual([articles[0]?.title]);
    expect(checkDelivered(h.fake, t, articles)).toEqual([]);
  });
});

describe('GIVEN a target that cannot take posts', () => {
  it('THEN lost permission pauses with a reason naming it, and nothing after it is tried', async () => {
    h = await startEngine();
    const t = h.target();
    h.fake.setBotPermissions(t.channelId, 0n, PermissionFlagsBits.SendMessages);
    const report = await h.engine.deliver(t, [article({ title: 'A' }), article({ title: 'B' })]);
    expect(report.pause?.reason).toMatch(/Missing Permissions .*channel \d+, Discord code 50013/);
    expect(report.results).toHaveLength(1);
  });
});

describe('GIVEN an article whose thread was deleted', () => {
  it('THEN new comments for it set that article aside, not the target, and the next article is posted', async () => {
    h = await startEngine();
    const t = h.target();
    const a = article({ title: 'Closed thread', comments: [comment(1, 'First.')] });
    await h.engine.deliver(t, [a]);
    const thread = h.fake.threads(t.channelId)[0];
    h.fake.deleteChannel(thread?.id ?? '');
    const b = article({ title: 'Open thread', comments: [comment(1, 'Hello.')] });
    const report = await h.engine.deliver(t, [{ ...a, comments: [...a.comments, comment(2, 'Second.')] }, b]);
    expect(report.pause).toBeNull();
    expect(report.results.find((r) => r.articleId === a.id)).toMatchObject({ error: 'its thread was deleted in Discord', setAside: true });
    expect(report.results.find((r) => r.articleId === b.id)).toMatchObject({ error: null });
  });
});

describe('GIVEN Discord-like rate limits', () => {
  it('THEN 100 articles with 20 comments each go into one channel with only the 429s that reveal a bucket', async () => {
    // Discord's limits with time running ten times faster: 5 messages per 0.5 s per channel, 500/s in all.
    h = await startEngine({
      fake: { rateLimits: { channelMessages: { limit: 5, windowMs: 500 }, global: { limit: 500, windowMs: 1000 } } },
      globalPerSecond: 500,
    });
    const t = h.target();
    const articles = Array.from({ length: 100 }, (_, i) =>
      article({ title: `Dispatch ${i}`, text: `Report number ${i}.`, comments: Array.from({ length: 20 }, (_, c) => comment(c + 1, `Reply ${c} to ${i}.`)) }),
    );
    const started = performance.now();
    const report = await h.engine.deliver(t, articles);
    const seconds = (performance.now() - started) / 1000;
    expect(report.results.filter((r) => r.error !== null)).toEqual([]);
    expect(checkDelivered(h.fake, t, articles)).toEqual([]);
    const limited = h.fake.requests.filter((r) => r.status === 429).length;
    // One per bucket at most: the channel and each of the 100 threads.
    expect(limited).toBeLessThanOrEqual(10);
    // The channel takes 10 posts a second, so 100 posts need 10 s; the 2,000 comments go to 100 threads
    // side by side meanwhile. One thread at a time would need 100 × 2 s.
    expect(seconds).toBeLessThan(30);
  }, 90_000);
});

describe('GIVEN a thread longer than one run’s slice of comments', () => {
  it('THEN each run posts at most the slice and leaves the rest, counted in commentsLeft and not as an error, for the next; the runs together post every comment once', async () => {
    h = await startEngine({ engine: { commentsPerRun: 10 }, fake: { rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } } } });
    const t = h.target();
    const long = article({ title: 'Budget debate', comments: Array.from({ length: 25 }, (_, c) => comment(c + 1, `Point ${c} about the budget.`)) });
    const short = article({ title: 'Weather', comments: [comment(1, 'Rain again.')] });
    const threadOf = (title: string): string => h?.fake.threads(t.channelId).find((th) => th.name === title)?.id ?? '';

    const first = await h.engine.deliver(t, [long, short]);
    expect(first.results.find((r) => r.articleId === long.id)).toMatchObject({ action: 'post', created: 11, error: null, commentsLeft: 15 });
    expect(first.results.find((r) => r.articleId === short.id)).toMatchObject({ action: 'post', created: 2, error: null });
    expect(h.fake.messages(threadOf('Budget debate'))).toHaveLength(10);

    const second = await h.engine.deliver(t, [long, short]);
    expect(second.results.find((r) => r.articleId === long.id)).toMatchObject({ action: 'resume', created: 10, error: null, commentsLeft: 5 });
    expect(second.results.find((r) => r.articleId === short.id)).toMatchObject({ action: 'none' });
    const third = await h.engine.deliver(t, [long, short]);
    expect(third.results.find((r) => r.articleId === long.id)).toMatchObject({ action: 'resume', created: 5, error: null });
    expect(checkDelivered(h.fake, t, [long, short])).toEqual([]);
    expect((await h.engine.deliver(t, [long, short])).results.map((r) => r.action)).toEqual(['none', 'none']);
  });
});
