/**
 * A template is checked on save by rendering it with a real article and measuring each text against
 * Discord's limits: content 2,000, embed title 256, description 4,096, thread name 100, and the
 * embed's 6,000 in all. The problem names the field and how far over it is; the renderer would
 * have cut the post, which is why it is refused on save.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { checkTemplate, postView, problemText } from '../src/app/templates/render.ts';
import { POST_LIMITS } from '../src/app/templates/limits.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { article } from './helpers/articles.ts';
import { sampleArticle } from './text-sample.ts';

/** Words with nothing to escape, `n` characters in all. */
const words = (n: number): string => 'word '.repeat(Math.ceil(n / 5)).slice(0, n - 1) + 'x';

function quoting(quote: string, extra: Partial<Article> = {}): Article {
  const a = article({ title: words(200), ...extra });
  return {
    ...a,
    body: [
      { type: 'paragraph', text: 'The board met on Monday.' },
      { type: 'quote', text: quote, attribution: null },
    ],
  };
}

describe('GIVEN the limits a template is checked against', () => {
  it('THEN they are the Discord renderer’s', () => {
    expect(POST_LIMITS).toEqual({
      content: LIMITS.messageContent,
      title: LIMITS.embedTitle,
      description: LIMITS.embedDescription,
      threadName: LIMITS.threadName,
      embedTotal: LIMITS.embedTotal,
      fieldName: LIMITS.embedFieldName,
      fieldValue: LIMITS.embedFieldValue,
      footer: LIMITS.embedFooter,
    });
  });
});

describe('GIVEN a template whose texts are too long with this article', () => {
  const a = quoting(words(2999));
  it('THEN each text over its limit is named with its length and how far over', () => {
    expect(
      checkTemplate({ content: '{quote}', title: '{title} {title}', description: '{quote}{quote}', threadName: '{title} {title}' }, a).map(problemText),
    ).toEqual([
      `content: 2,999 characters with article ${a.id}, 999 over Discord's limit of 2,000`,
      `title: 401 characters with article ${a.id}, 145 over Discord's limit of 256`,
      `description: 5,998 characters with article ${a.id}, 1,902 over Discord's limit of 4,096`,
      `threadName: 401 characters with article ${a.id}, 301 over Discord's limit of 100`,
    ]);
  });

  it('THEN escaping counts: what Discord receives is measured, not the article’s text', () => {
    const starred = quoting('*'.repeat(1500));
    expect(checkTemplate({ content: '{quote}' }, starred).map(problemText)).toEqual([
      `content: 3,000 characters with article ${starred.id}, 1,000 over Discord's limit of 2,000`,
    ]);
    expect(checkTemplate({ content: '{quote|max:1000}' }, starred)).toEqual([]);
  });

  it('THEN the pings delivery puts before the content count: a content that fits alone is over with them', () => {
    const fits = quoting(words(1990));
    const [role, user] = ['123456789012345678', '223456789012345678'] as const;
    const mentions = [
      { kind: 'role' as const, id: role, filter: null },
      { kind: 'user' as const, id: user, filter: null },
    ];
    expect(checkTemplate({ content: '{quote}' }, fits)).toEqual([]);
    expect(checkTemplate({ content: '{quote}' }, fits, mentions).map(problemText)).toEqual([
      `content: 2,035 characters (45 of them the mentions before it) with article ${fits.id}, 35 over Discord's limit of 2,000`,
    ]);
    // Without the check the renderer would cut the pinged post's content at 2,000: its end would be lost.
    const view = postView(fits, { content: '{quote}' }).post;
    const sent = renderMessage({ ...view, ping: { roles: [role], users: [user] } });
    expect(sent.content?.startsWith(`<@&${role}> <@${user}>\n`)).toBe(true);
    expect(sent.content?.length).toBeLessThanOrEqual(2000);
    expect(sent.content?.endsWith((view.content ?? '').slice(-10))).toBe(false);
  });

  it('THEN a field the template leaves to today’s post is not blamed on it (the renderer cuts it, as always)', () => {
    expect(checkTemplate({ content: 'New' }, quoting('x', { title: words(400) }))).toEqual([]);
  });
});

describe('GIVEN texts each within its limit that together pass the embed’s 6,000', () => {
  it('THEN the larger templated text is named, with the embed’s parts counted', () => {
    const a = quoting(words(4000), { title: words(250), source: words(1000), author: words(1000) });
    const template = { title: '{title}', description: '{quote}' };
    const embed = postView(a, template).post.embeds?.[0];
    const rest = (embed?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) + (embed?.footer?.length ?? 0);
    const total = 250 + 4000 + rest;
    expect(total).toBeGreaterThan(6000);
    expect(checkTemplate(template, a).map(problemText)).toEqual([
      `description: the embed would hold ${total.toLocaleString('en-US')} characters with article ${a.id} (title 250, description 4,000, fields and ` +
        `footer ${rest.toLocaleString('en-US')}), ${(total - 6000).toLocaleString('en-US')} over Discord's total of 6,000`,
    ]);
    // The problem is real: sent anyway, the renderer would cut the description to fit.
    const sent = renderMessage(postView(a, template).post).embeds?.[0];
    expect(sent?.description?.length).toBeLessThan(4000);
  });
});

describe('GIVEN the sample article and generous templates', () => {
  it('THEN they pass: ten summary sentences, the quote, every placeholder', () => {
    const template = {
      content: '**{source|upper}** {url} · {comments} comments · {published:yyyy-LL-dd} · {language} {category}',
      title: '{title|max:200}',
      description: '{summary:10}\n\n> {quote|max:500}\n— {author}',
      threadName: '{title|max:90}',
    };
    expect(checkTemplate(template, sampleArticle())).toEqual([]);
    expect(postView(sampleArticle(), template).post.embeds?.[0]?.description?.length).toBeGreaterThan(1000);
  });
});
