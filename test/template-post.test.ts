/**
 * Templates in the post delivery sends. DEFAULT_TEMPLATE is today's post, byte for byte, on the
 * sample export and on every item of the feed fixtures; a subscription's template shapes the
 * content, embed title and description and the thread's name, while the fields, the link and the
 * footer (by which delivery finds its post after a crash) stay; and the engine, posting through the
 * real discord.js client to the local Discord, sends exactly that, pinging no one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { SubscriptionOptions } from '../src/core/subscription-options.ts';
import type { MessageView } from '../src/core/view.ts';
import { summarize } from '../src/core/text/summarize.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import { articleViews, DEFAULT_TEMPLATE } from '../src/app/delivery/messages.ts';
import { escape } from '../src/app/views/markdown.ts';
import { articleFields } from '../src/app/views/format.ts';
import { messageDigest, renderMessage, renderThreadName } from '../src/ui/discord/render.ts';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { sampleArticle } from './text-sample.ts';

/** Today's post and thread name, written out as they were before templates (messages.ts at d49b927). */
function todays(a: Article): { post: MessageView; threadName: string } {
  const sentences = summarize(a, { sentences: 3, maxChars: 1500 });
  const description = sentences.map((s) => escape(s.text)).join(' ') || '*(no summary: the article has no prose)*';
  return {
    post: { embeds: [{ title: escape(a.title), description, fields: articleFields(a), footer: `Paperboy · article ${a.id}`, url: a.url }] },
    threadName: a.title.replace(/\s+/gu, ' ').trim() || 'Discussion',
  };
}

/** The first items of each feed fixture (RSS, RSS 1.0, Atom; HTML content, encodings): enough variety, in little time. */
function feedArticles(): Article[] {
  const dir = new URL('./fixtures/feeds/', import.meta.url);
  return readdirSync(dir).flatMap((name) =>
    parseFeed(readFileSync(new URL(name, dir)), { url: `https://feeds.example/${name}`, now: new Date('2024-05-01T12:00:00Z') }).items.slice(0, 6),
  );
}

const HOSTILE = article({
  title: '@everyone <@123456789012345678> **Breaking** [click](https://evil.example) ||spoiler||',
  source: '<@&42> Gazette',
  author: '# Not a heading',
  url: 'https://news.example/a',
  text: '@here look: **bold** claim. > quoted line.\n\n- A list item? 1. Another.',
  comments: [comment(1, '<@&9> ping?')],
});

describe('GIVEN articles from the sample and the feed fixtures', () => {
  const articles = [sampleArticle(), ...feedArticles(), HOSTILE, article({ title: 'Only a heading', text: '' })];
  it('THEN no template and DEFAULT_TEMPLATE both give today’s post and thread name, byte for byte', () => {
    expect(articles.length).toBeGreaterThan(40);
    const every: (SubscriptionOptions | undefined)[] = [undefined, {}, { template: null }, { template: DEFAULT_TEMPLATE }, { template: {} }];
    for (const [i, a] of articles.entries()) {
      const today = todays(a);
      // Each way of having no template on a few articles; no template and the default on them all.
      for (const options of i < 3 || i >= articles.length - 2 ? every : [undefined, { template: DEFAULT_TEMPLATE }]) {
        const views = articleViews(a, options);
        expect(views.post, a.title).toEqual(today.post);
        expect(JSON.stringify(renderMessage(views.post))).toBe(JSON.stringify(renderMessage(today.post)));
        expect(messageDigest(views.post)).toBe(messageDigest(today.post));
        expect(views.threadName).toBe(today.threadName);
      }
    }
  });
});

describe('GIVEN a subscription with a template', () => {
  const a = article({
    title: 'Harbour *reopens*',
    url: 'https://news.example/harbour',
    source: 'Coast Gazette',
    publishedAt: '2026-03-29T01:30:00Z',
    text: 'The harbour reopened on Monday after a week. Ferries run again.',
    comments: [comment(1, 'About time.'), comment(2, 'Agreed.')],
  });
  const template = {
    content: '📰 New from **{source}**: <{url}>',
    title: '{title|upper}',
    description: '{summary:1}\n\n*Published {published}*',
    threadName: '{source}: {title}',
    timezone: 'Europe/Berlin',
    dateFormat: 'yyyy-LL-dd HH:mm',
  };

  it('THEN content, title, description and thread name come from it; fields, link, footer and comments do not', () => {
    const plain = articleViews(a);
    const views = articleViews(a, { template });
    expect(views.post.content).toBe('📰 New from **Coast Gazette**: <https://news.example/harbour>');
    const embed = views.post.embeds?.[0];
    expect(embed?.title).toBe('HARBOUR \\*REOPENS\\*');
    expect(embed?.description).toBe('The harbour reopened on Monday after a week.\n\n*Published 2026-03-29 03:30*');
    expect(views.threadName).toBe('Coast Gazette: Harbour *reopens*');
    const rest = (v: typeof views) => ({ ...v.post.embeds?.[0], title: undefined, description: undefined });
    expect(rest(views)).toEqual(rest(plain));
    expect(embed?.footer).toBe(`Paperboy · article ${a.id}`);
    expect(views.comments).toEqual(plain.comments);
  });

  describe('WHEN the engine posts it to the local Discord', () => {
    let h: EngineHarness | undefined;
    beforeAll(async () => {
      h = await startEngine();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('THEN the message, embed and thread are the template’s, nothing pings, and a second run posts nothing', async () => {
      const e = h;
      if (!e) throw new Error('the engine did not start');
      const t = { ...e.target(), options: { template } };
      const report = await e.engine.deliver(t, [a, HOSTILE]);
      expect(report.results.map((r) => [r.action, r.error])).toEqual([
        ['post', null],
        ['post', null],
      ]);
      const [first, second] = e.fake.messages(t.channelId);
      expect(first?.content).toBe('📰 New from **Coast Gazette**: <https://news.example/harbour>');
      expect(first?.embeds[0]).toMatchObject({
        title: 'HARBOUR \\*REOPENS\\*',
        url: 'https://news.example/harbour',
        footer: { text: `Paperboy · article ${a.id}` },
      });
      expect(e.fake.channel(first?.id ?? '')?.name).toBe('Coast Gazette: Harbour *reopens*');
      expect(e.fake.messages(first?.id ?? '').map((m) => m.content)).toEqual(articleViews(a).comments.map((s) => s.message.content));
      // Hostile article text in the content and the thread name: shown, escaped, and no one pinged.
      expect(second?.content).toBe('📰 New from **\\<@&42> Gazette**: <https://news.example/a>');
      expect(second?.embeds[0]?.title).toBe(escape(HOSTILE.title.toUpperCase()));
      expect(e.fake.channel(second?.id ?? '')?.name).toBe(renderThreadName(`<@&42> Gazette: ${HOSTILE.title}`));
      for (const m of [first, second]) {
        expect(m).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
        expect(e.fake.sentWith(m?.id ?? '')?.allowedMentions).toEqual({ parse: [] });
      }
      const again = await e.engine.deliver(t, [a, HOSTILE]);
      expect(again.results.map((r) => r.action)).toEqual(['none', 'none']);
      expect(e.fake.violations).toEqual([]);
    });

    it('THEN in a forum the post is named by the template, and a templated count is edited as comments arrive', async () => {
      const e = h;
      if (!e) throw new Error('the engine did not start');
      const t = { ...e.target('forum'), options: { template: { content: '{comments} comments so far', threadName: '{source}: {title}' } } };
      await e.engine.deliver(t, [a]);
      const [thread] = e.fake.threads(t.channelId);
      expect(thread?.name).toBe('Coast Gazette: Harbour *reopens*');
      expect(e.fake.messages(thread?.id ?? '')[0]?.content).toBe('2 comments so far');
      const more = { ...a, comments: [...a.comments, comment(3, 'Finally.')] };
      const report = await e.engine.deliver(t, [more]);
      expect(report.results[0]).toMatchObject({ action: 'append', created: 1, edited: 1, error: null });
      expect(e.fake.threads(t.channelId).map((th) => th.name)).toEqual(['Coast Gazette: Harbour *reopens*']);
      expect(e.fake.messages(thread?.id ?? '').map((m) => m.content)).toEqual([
        '3 comments so far',
        ...articleViews(more).comments.map((s) => s.message.content),
      ]);
      expect(e.fake.violations).toEqual([]);
    });
  });
});
