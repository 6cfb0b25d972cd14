/**
 * The placeholders a template may use, what argument each takes, and their text for an article.
 * Values are the article's text as written (escaping for Discord comes after the transforms), each
 * capped, so a 10 MB body or title makes a post of bounded size.
 */
import { isHttpUrl, type Article } from '../../core/model.ts';
import { summarize } from '../../core/text/summarize.ts';
import { truncate } from '../../core/text/truncate.ts';
import { formatDate, formatProblem, type DateSettings, type FormatProblem } from './dates.ts';
import { ELLIPSIS, MAX_CHARS, type Value } from './transforms.ts';

export const PLACEHOLDERS = ['title', 'url', 'author', 'source', 'summary', 'published', 'comments', 'quote', 'language', 'category'] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

/** `{summary}` alone: as many sentences as today's post. */
export const SUMMARY_SENTENCES = 3;
const MAX_SENTENCES = 10;
/** Characters of summary per sentence asked for: 1,500 for three, today's post's budget. */
const SUMMARY_CHARS_PER_SENTENCE = 500;
/** Shown for `{summary}` when the article has no prose, as today's post does. */
export const NO_SUMMARY = '*(no summary: the article has no prose)*';

/**
 * The most characters of article text one placeholder brings in: far past every Discord limit (so
 * the renderer's cut, not this one, is what a reader sees), yet a bound on a hostile article.
 */
const MAX_TEXT = 20_000;
/** A quoted passage is one paragraph; an embed description holds 4,096 characters. */
const MAX_QUOTE = 4096;
/** A category or language tag is a word or two. */
const MAX_TAG = 200;

export function isPlaceholder(name: string): name is PlaceholderName {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Why `arg` (the text after `:`, or null) does not fit placeholder `name`, with where in `arg` the
 * problem is; null when it fits.
 */
export function argumentProblem(name: PlaceholderName, arg: string | null): FormatProblem | null {
  if (name === 'published') return arg === null ? null : formatProblem(arg);
  if (name === 'summary') {
    if (arg === null) return null;
    const n = /^\d{1,2}$/u.test(arg) ? Number(arg) : NaN;
    return n >= 1 && n <= MAX_SENTENCES ? null : { offset: 0, reason: `{summary:${arg.slice(0, 20)}}: the number of sentences must be 1 to ${MAX_SENTENCES}` };
  }
  if (arg === null) return null;
  if (!isCuttable(name)) return { offset: 0, reason: `{${name}} takes no \`:\` argument` };
  const n = /^\d{1,5}$/u.test(arg) ? Number(arg) : NaN;
  return n >= 1 && n <= MAX_CHARS
    ? null
    : { offset: 0, reason: `{${name}:${arg.slice(0, 20)}}: the length must be a whole number of characters from 1 to ${MAX_CHARS}` };
}

/** Placeholders whose `:N` is a length: `{title:100}` is `{title|max:100}`. A URL cut short would be a broken link. */
const CUTTABLE: ReadonlySet<PlaceholderName> = new Set(['title', 'author', 'source', 'quote', 'language', 'category']);

export function isCuttable(name: PlaceholderName): boolean {
  return CUTTABLE.has(name);
}

/** What placeholders read: the article, and how dates and numbers are written. */
export interface RenderContext {
  readonly article: Article;
  readonly dates: DateSettings;
  /** Summaries by sentence count and the quote, worked out once per post. */
  readonly memo: Map<string, Value>;
}

const text = (s: string | null, max = MAX_TEXT): Value => ({ parts: s ? [truncate(s, max, ELLIPSIS).text] : [], sep: '', markup: false });

/** The text of `{name:arg}` for the context's article. `arg` has been checked (argumentProblem). */
export function placeholderValue(name: PlaceholderName, arg: string | null, ctx: RenderContext): Value {
  const a = ctx.article;
  switch (name) {
    case 'title':
      return text(a.title);
    case 'url':
      return text(linkText(a.url));
    case 'author':
      return text(a.author);
    case 'source':
      return text(a.source);
    case 'summary':
      return remember(ctx, `summary:${arg ?? ''}`, () => summaryOf(a, arg === null ? SUMMARY_SENTENCES : Number(arg)));
    case 'published':
      return text(formatDate(a.publishedAt, arg === null ? ctx.dates : { ...ctx.dates, format: arg }));
    case 'comments':
      return text(new Intl.NumberFormat(ctx.dates.locale).format(Math.max(a.comments.length, a.declaredCommentCount ?? 0)));
    case 'quote':
      return remember(ctx, 'quote', () => text(mostQuoted(a), MAX_QUOTE));
    case 'language':
      return text(a.language, MAX_TAG);
    case 'category':
      return text(firstCategory(a), MAX_TAG);
  }
}

function remember(ctx: RenderContext, key: string, make: () => Value): Value {
  const known = ctx.memo.get(key);
  if (known) return known;
  const value = make();
  ctx.memo.set(key, value);
  return value;
}

function summaryOf(a: Article, sentences: number): Value {
  const found = summarize(a, { sentences, maxChars: Math.min(sentences * SUMMARY_CHARS_PER_SENTENCE, 4000) });
  if (found.length === 0) return { parts: [NO_SUMMARY], sep: '', markup: true };
  return { parts: found.map((s) => s.text), sep: ' ', markup: false };
}

/**
 * An http(s) URL with the characters that would end a markdown link or an autolink early
 * percent-encoded, so `[{title}]({url})` and `<{url}>` keep the whole address; else ''.
 */
function linkText(url: string | null): string {
  if (!url || !isHttpUrl(url)) return '';
  return url.replace(/[\s()<>[\]"]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The article passage its commenters quoted most (Comment.quotes point at body blocks; a tie goes
 * to the earlier passage), else the article's first quotation, else ''.
 */
export function mostQuoted(a: Article): string {
  const counts = new Map<number, number>();
  for (const c of a.comments) for (const q of c.quotes) if (a.body[q.block]) counts.set(q.block, (counts.get(q.block) ?? 0) + 1);
  let best = -1;
  let most = 0;
  for (const [block, n] of counts) if (n > most || (n === most && block < best)) [best, most] = [block, n];
  const quoted = a.body[best]?.text;
  if (quoted) return quoted;
  return a.body.find((b) => b.type === 'quote')?.text ?? '';
}

/** The first feed category, read defensively: Article gains an optional `categories` from another change. */
function firstCategory(a: Article): string {
  const categories: unknown = (a as { categories?: unknown }).categories;
  if (!Array.isArray(categories)) return '';
  const first: unknown = categories.find((c) => typeof c === 'string' && c.trim() !== '');
  return typeof first === 'string' ? first.trim() : '';
}
