/**
 * {@link FeedEntry} to Article: identity, title, body, date, author. An item that cannot be an
 * Article (no title and no link) is skipped with a warning naming it; the rest of the feed goes on.
 */
import { createHash } from 'node:crypto';
import { Article, MAX_CATEGORIES, MAX_CATEGORY_CHARS, articleId } from '../../core/model.ts';
import type { Block } from '../../core/model.ts';
import { parseFeedDate } from './dates.ts';
import type { FeedEntry, FeedInfo, FeedText } from './entry.ts';
import { collapse, htmlToBlocks, htmlToLine, looksLikeHtml, textToBlocks } from './html.ts';

/** A title made from the text of an untitled item is cut near this many characters. */
const UNTITLED_TITLE_LENGTH = 100;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z\d]{1,8})*$/;

/** What every item of one feed shares. */
export interface ArticleContext {
  /** Names the feed in warnings: a file path or URL. */
  readonly name: string;
  readonly info: FeedInfo;
  /** The URL the feed came from, if any: a base for relative links and a fallback identity. */
  readonly url: string | null;
  readonly source: string | null;
  readonly ingestedAt: string;
}

/**
 * The id of an item that has a guid: from the feed's identity plus the guid, so that the same guid in
 * two different feeds does not collide while the same item keeps its id however the feed reorders
 * or redates it.
 */
export function feedItemId(feedIdentity: string, guid: string): string {
  return createHash('sha256').update(`guid:${feedIdentity}\n${guid}`).digest('hex').slice(0, 16);
}

/** The Articles of a feed's entries, and a warning for each entry skipped. */
export function toArticles(entries: readonly FeedEntry[], ctx: ArticleContext): { items: Article[]; warnings: string[] } {
  const items: Article[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const made = toArticle(entry, ctx, warnings);
    if (!made) continue;
    const earlier = seen.get(made.id);
    if (earlier) {
      warnings.push(`${ctx.name}: ${describe(entry)} skipped: it is the same item as ${earlier} (same ${entry.guid ? 'guid' : 'link or title'})`);
      continue;
    }
    seen.set(made.id, describe(entry));
    items.push(made);
  }
  return { items, warnings };
}

function toArticle(entry: FeedEntry, ctx: ArticleContext, warnings: string[]): Article | null {
  const url = itemUrl(entry, ctx, warnings);
  const body = bodyOf(entry.texts, url ?? ctx.info.link ?? ctx.url);
  const ownTitle = entry.title ? (entry.title.html ? htmlToLine(entry.title.value) : collapse(entry.title.value)) : '';
  if (ownTitle === '' && url === null) {
    warnings.push(`${ctx.name}: ${describe(entry)} skipped: it has no title and no link`);
    return null;
  }
  // An untitled item (allowed in RSS and JSON Feed) is named by the start of its own text, else its link.
  const title = ownTitle || untitled(body) || url || '';

  const feedIdentity = ctx.info.identity ?? ctx.url ?? ctx.info.title ?? ctx.source ?? '';
  const id = entry.guid ? feedItemId(feedIdentity, entry.guid) : articleId({ url, source: ctx.source, title });
  const article: Article = {
    id,
    title,
    url,
    source: ctx.source,
    author: (entry.authors.length > 0 ? entry.authors : ctx.info.authors).map(collapse).join(', ') || null,
    publishedAt: dateOf(entry, ctx, warnings),
    language: languageOf(entry.language) ?? languageOf(ctx.info.language),
    body,
    comments: [],
    declaredCommentCount: entry.commentCount,
    commentsUrl: commentsUrlOf(entry, url),
    ingestedAt: ctx.ingestedAt,
    ...categoriesOf(entry.categories),
  };
  const checked = Article.safeParse(article);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    warnings.push(`${ctx.name}: ${describe(entry)} skipped: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not a valid article'}`);
    return null;
  }
  return checked.data;
}

/** The first candidate that yields any text: an empty content:encoded falls back to the description. */
function bodyOf(texts: readonly FeedText[], base: string | null): Block[] {
  for (const text of texts) {
    const blocks = text.html && looksLikeHtml(text.value) ? htmlToBlocks(text.value, base) : textToBlocks(text.value);
    if (blocks.length > 0) return blocks;
  }
  return [];
}

/** The comments link made absolute against the item's own link; null when it cannot be (never a guess). */
function commentsUrlOf(entry: FeedEntry, itemLink: string | null): string | null {
  if (entry.commentsUrl === null) return null;
  try {
    const url = new URL(entry.commentsUrl, itemLink ?? undefined);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The item's link made absolute (against the feed's site, then the feed URL); null if it cannot be. */
function itemUrl(entry: FeedEntry, ctx: ArticleContext, warnings: string[]): string | null {
  if (entry.link === null) return null;
  for (const base of [undefined, ctx.info.link ?? undefined, ctx.url ?? undefined]) {
    try {
      const url = new URL(entry.link, base);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // Relative, and this base does not resolve it either: try the next.
    }
  }
  warnings.push(`${ctx.name}: ${describe(entry)}: its link "${entry.link}" is not an absolute http(s) URL; left empty`);
  return null;
}

function dateOf(entry: FeedEntry, ctx: ArticleContext, warnings: string[]): string | null {
  for (const raw of entry.dates) {
    const date = parseFeedDate(raw);
    if (date) return date;
  }
  const first = entry.dates[0];
  if (first !== undefined) warnings.push(`${ctx.name}: ${describe(entry)}: date "${first}" not understood; left empty`);
  return null;
}

/**
 * The item's categories, each on one line and cut to the model's length, repeats (ignoring case)
 * dropped, at most the model's number: a feed may list any number of any length, and an item
 * should not be skipped for it. None at all leaves the field absent.
 */
function categoriesOf(raw: readonly string[]): Pick<Article, 'categories'> {
  const seen = new Set<string>();
  const categories: string[] = [];
  for (const value of raw) {
    if (categories.length === MAX_CATEGORIES) break;
    const category = cutAt(collapse(value), MAX_CATEGORY_CHARS);
    const key = category.toLowerCase();
    if (category === '' || seen.has(key)) continue;
    seen.add(key);
    categories.push(category);
  }
  return categories.length > 0 ? { categories } : {};
}

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end).trimEnd();
}

function languageOf(tag: string | null): string | null {
  return tag !== null && LANGUAGE_TAG.test(tag) ? tag : null;
}

/** The first paragraph, cut at a word boundary near {@link UNTITLED_TITLE_LENGTH} characters. */
function untitled(body: readonly Block[]): string {
  const first = body[0]?.text.replace(/\s+/g, ' ') ?? '';
  if (first.length <= UNTITLED_TITLE_LENGTH) return first;
  const cut = first.slice(0, UNTITLED_TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > UNTITLED_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `item 3 ("Title")`, or with its guid or link when it has no title. */
function describe(entry: FeedEntry): string {
  const label = entry.title ? htmlToLine(entry.title.value) : '';
  if (label) return `item ${entry.position} ("${label.length > 60 ? `${label.slice(0, 57)}...` : label}")`;
  if (entry.guid) return `item ${entry.position} (guid "${entry.guid}")`;
  if (entry.link) return `item ${entry.position} (link "${entry.link}")`;
  return `item ${entry.position}`;
}
