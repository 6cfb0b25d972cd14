/**
 * Post templates, placeholder by placeholder and transform by transform, on hand-built articles and
 * the sample export: what each inserts, that article text is escaped for Discord while the
 * template's own markdown is kept, and that a thread name is plain text on one line.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { summarize } from '../src/core/text/summarize.ts';
import { renderPost } from '../src/app/templates/render.ts';
import { escape } from '../src/app/views/markdown.ts';
import { article, comment } from './helpers/articles.ts';
import { sampleArticle } from './text-sample.ts';

/** A feed-like article with every field set, a quotation, and comments quoting its passages. */
function harbour(extra: Partial<Article> = {}): Article {
  const a = article({
    title: 'Harbour *reopens* after storm',
    url: 'https://news.example/harbour',
    source: 'Coast Gazette',
    author: 'Jane Doe',
    publishedAt: '2026-03-29T00:30:00Z',
    language: 'en-GB',
    declaredCommentCount: 1234,
    comments: [
      comment(1, 'About time.', { quotes: [{ paragraph: 0, block: 2 }] }),
      comment(2, 'Agreed.', {
        quotes: [
          { paragraph: 0, block: 2 },
          { paragraph: 0, block: 1 },
        ],
      }),
    ],
    ...extra,
  });
  return {
    ...a,
    body: [
      { type: 'paragraph', text: 'The harbour reopened on Monday after the storm closed it for a week. Ferries run again from dawn.' },
      { type: 'quote', text: 'We are open for business.', attribution: '- the harbour master said' },
      { type: 'paragraph', text: 'Repairs to the north pier will take until spring, the board said.' },
      { type: 'paragraph', text: 'Fishermen welcomed the news. Some boats had waited offshore for days.' },
    ],
    ...extra,
  };
}

/** One placeholder's text in a post's content (where nothing else is added). */
const content = (template: string, a: Article = harbour()): string | undefined => renderPost({ content: template }, a).content;

describe('GIVEN each placeholder', () => {
  it('THEN {title}, {url}, {author}, {source} and {language} insert the article’s fields, escaped', () => {
    expect(content('{title}')).toBe('Harbour \\*reopens\\* after storm');
    expect(content('{url}')).toBe('https://news.example/harbour');
    expect(content('{author} · {source} · {language}')).toBe('Jane Doe · Coast Gazette · en-GB');
  });

  it('THEN a field the article lacks is empty, and a field left with nothing in it is left out', () => {
    const bare = harbour({ author: null, source: null, language: null, url: null, publishedAt: null });
    expect(content('[{author}|{source}|{language}|{url}|{published}|{category}]', bare)).toBe('[|||||]');
    expect(renderPost({ content: '{author}' }, bare)).not.toHaveProperty('content');
  });

  it('THEN {summary} is three verbatim sentences as today’s post, {summary:N} N of them, and no prose gives today’s note', () => {
    const a = sampleArticle();
    const three = summarize(a, { sentences: 3, maxChars: 1500 });
    expect(three).toHaveLength(3);
    expect(content('{summary}', a)).toBe(three.map((s) => escape(s.text)).join(' '));
    for (const n of [1, 2, 10]) {
      const shown = summarize(a, { sentences: n, maxChars: Math.min(500 * n, 4000) });
      // The sample has sentences enough for one or two; ten run into the 4,000-character budget first.
      if (n < 10) expect(shown).toHaveLength(n);
      else expect(shown.length).toBeGreaterThan(3);
      expect(content(`{summary:${n}}`, a)).toBe(shown.map((s) => escape(s.text)).join(' '));
    }
    expect(content('{summary:1}', a)).toBe(escape(three[0]?.text ?? ''));
    const noProse = { ...harbour(), body: [{ type: 'heading' as const, text: 'Only a heading' }] };
    expect(content('{summary}', noProse)).toBe('*(no summary: the article has no prose)*');
  });

  it('THEN {comments} is the larger of the stored and the declared count, in the template’s locale', () => {
    expect(content('{comments}')).toBe('1,234');
    expect(renderPost({ content: '{comments}', locale: 'de-DE' }, harbour()).content).toBe('1.234');
    expect(content('{comments}', harbour({ declaredCommentCount: null }))).toBe('2');
  });

  it('THEN {quote} is the passage commenters quoted most, else the first quotation, else nothing', () => {
    expect(content('{quote}')).toBe('Repairs to the north pier will take until spring, the board said.');
    const tied = harbour({ comments: [comment(1, 'x', { quotes: [{ paragraph: 0, block: 3 }] }), comment(2, 'y', { quotes: [{ paragraph: 0, block: 0 }] })] });
    expect(content('{quote}', tied)).toBe(escape('The harbour reopened on Monday after the storm closed it for a week. Ferries run again from dawn.'));
    expect(content('{quote}', harbour({ comments: [] }))).toBe('We are open for business.');
    const plain = { ...harbour({ comments: [] }), body: [{ type: 'paragraph' as const, text: 'Nothing quoted.' }] };
    expect(content('({quote})', plain)).toBe('()');
    // A quote pointing past the body (a stale comment) counts for nothing.
    expect(content('{quote}', harbour({ comments: [comment(1, 'x', { quotes: [{ paragraph: 0, block: 99 }] })] }))).toBe('We are open for business.');
  });

  it('THEN {category} is the first feed category when the article has any, read defensively', () => {
    const withCategories = (categories: unknown): Article => ({ ...harbour(), categories }) as Article;
    expect(content('{category}', withCategories(['Harbours', 'Weather']))).toBe('Harbours');
    expect(content('{category}', withCategories([42, ' ', 'Sea *news*']))).toBe('Sea \\*news\\*');
    expect(content('[{category}]', withCategories('Harbours'))).toBe('[]');
    expect(content('[{category}]')).toBe('[]');
  });

  it('THEN {published} is written in the template’s format, zone and locale', () => {
    expect(content('{published}')).toBe('29 March 2026 at 00:30 UTC');
    expect(content('{published:yyyy-LL-dd HH:mm}')).toBe('2026-03-29 00:30');
    expect(renderPost({ content: '{published}', dateFormat: 'yyyy-LL-dd', timezone: 'America/New_York' }, harbour()).content).toBe('2026-03-28');
  });

  it('THEN {{ and }} are literal braces, and the template’s own markdown is kept as written', () => {
    expect(content('{{title}} is {title|lower}')).toBe('{title} is harbour \\*reopens\\* after storm');
    expect(content('**{source}** — [{title}]({url}) }}')).toBe('**Coast Gazette** — [Harbour \\*reopens\\* after storm](https://news.example/harbour) }');
  });
});

describe('GIVEN each transform', () => {
  it('THEN upper and lower change case, and a chain runs left to right', () => {
    expect(content('{source|upper}')).toBe('COAST GAZETTE');
    expect(content('{source|lower}')).toBe('coast gazette');
    expect(content('{source|upper|lower}')).toBe('coast gazette');
    expect(content('{source|lower|upper}')).toBe('COAST GAZETTE');
  });

  it('THEN strip takes out HTML, markdown links, emphasis and line marks, keeping snake_case', () => {
    const a = harbour({ title: '<b>Storm</b> **over**: [read](https://x.example/a) _now_ &amp; see snake_case\n# Heading\n> quoted\n- item' });
    // What strip leaves is article text still, escaped like any other: snake_case shows as written.
    expect(content('{title|strip}', a)).toBe('Storm over: read now & see snake\\_case\nHeading\nquoted\nitem');
    expect(content('{summary|strip}', { ...a, body: [] })).toBe('(no summary: the article has no prose)');
  });

  it('THEN max:N cuts at a word with an ellipsis, counting the characters a reader sees', () => {
    expect(content('{title|max:20}')).toBe('Harbour \\*reopens\\*…');
    expect(content('{title|max:200}')).toBe('Harbour \\*reopens\\* after storm');
    expect(content('{title|max:1}')).toBe('…');
    // A length after `:` is the same cut, made first.
    expect(content('{title:20}')).toBe(content('{title|max:20}'));
    expect(content('{source:8|upper}')).toBe('COAST…');
    // Upper before max and after it give the same text here; max before upper cuts the original.
    expect(content('{source|max:8|upper}')).toBe('COAST…');
    expect(content('{source|upper|max:8}')).toBe('COAST…');
  });

  it('THEN max:N on a summary cuts across its sentences and escapes each as the post does', () => {
    const a = sampleArticle();
    const whole = summarize(a, { sentences: 3, maxChars: 1500 }).map((s) => s.text);
    const cut = content('{summary|max:300}', a) ?? '';
    expect(cut.endsWith('…')).toBe(true);
    const shown = cut.replace(/\\(?=[\\*_~`|[\]<>#+.-])/gu, '');
    expect(shown.length).toBeLessThanOrEqual(300);
    expect(whole.join(' ').startsWith(shown.slice(0, -1))).toBe(true);
  });
});

describe('GIVEN a template for the thread name', () => {
  it('THEN article text goes in unescaped, on one line, and an empty name is "Discussion"', () => {
    const a = harbour({ title: 'Harbour *reopens*\n\n  after   storm' });
    expect(renderPost({ threadName: '{source}: {title}' }, a).threadName).toBe('Coast Gazette: Harbour *reopens* after storm');
    expect(renderPost({ threadName: '{author}' }, harbour({ author: null })).threadName).toBe('Discussion');
  });

  it('THEN fields the template leaves out are today’s: the escaped title, the summary, the title as thread name', () => {
    const a = harbour();
    const post = renderPost({ content: 'New from {source}' }, a);
    expect(post).toEqual({
      content: 'New from Coast Gazette',
      title: escape(a.title),
      description: summarize(a, { sentences: 3, maxChars: 1500 })
        .map((s) => escape(s.text))
        .join(' '),
      threadName: a.title,
    });
  });

  it('THEN a field stored broken (never checked) renders as today’s, and a bad zone, locale or format as the default', () => {
    const a = harbour();
    const broken = renderPost({ title: '{titel}', description: '{summary', content: '{published}', timezone: 'Mars/Base', locale: 'xx', dateFormat: 'QQQ' }, a);
    expect(broken.title).toBe(escape(a.title));
    expect(broken.description).toBe(renderPost({}, a).description);
    expect(broken.content).toBe('29 March 2026 at 00:30 UTC');
  });
});
