/**
 * An article's comment feed (RSS/Atom, `wfw:commentRss`, `thr:in-reply-to`) into a Discussion.
 * WordPress serves one at `<post>/feed/` ("Comments on: <title>", the post as the channel link,
 * flat: RSS has no way to say which comment answers which); WordPress's Atom comment feeds and
 * Blogger's carry RFC 4685 `thr:in-reply-to`, whose `ref` is the id of the comment (or the post)
 * answered. The article is the post the feed names by its link; its body stays empty so that the
 * body already stored from the post's own feed is kept when the two meet.
 */
import { ParseError } from '../../core/errors.ts';
import { Article, Comment, articleId, isHttpUrl } from '../../core/model.ts';
import { parseFeedDate } from '../feeds/dates.ts';
import { absoluteHttp, collapse, htmlToBlocks, looksLikeHtml, textToBlocks } from '../feeds/html.ts';
import { parseFeed } from '../feeds/parse.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { feedText, readCommentFeed, readWholeCommentFeed } from './comment-feed-read.ts';
import type { CommentFeedEntry } from './comment-feed-read.ts';
import { CappedWarnings } from './warnings.ts';
import type { Discussion } from './types.ts';

/** WordPress ("Comments on: X"), WordPress Atom ("Comments on X") and Blogger ("Comments on Blog: X"). */
const COMMENTS_TITLE = /^comments on:?\s+/i;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z\d]{1,8})*$/;
/** The feed fetcher's own cap on a response; a saved file bigger than that is no one post's comments. */
export const MAX_COMMENT_FEED_BYTES = 10_000_000;

/**
 * Whether the feed's bytes are a comment feed (the comments of one article) rather than a feed of
 * articles. Conservative, from the feed alone: every entry answers something through RFC 4685
 * `thr:in-reply-to`; or the title says "Comments on" and every item links to an anchor in a page
 * (`…/post/#comment-12`, `…?showComment=…#c47`). A feed that only declares the thr namespace, or
 * carries `rel="replies"` links to its articles' comments, is an article feed.
 */
export function looksLikeCommentFeed(bytes: Buffer | string): boolean {
  if (bytes.length > MAX_COMMENT_FEED_BYTES) return false;
  try {
    const doc = readCommentFeed(feedText(bytes, 'feed').text);
    if (doc === null) return false;
    const { entries, info } = doc;
    if (entries.length > 0 && entries.every((e) => e.inReplyTo.length > 0)) return true;
    if (!COMMENTS_TITLE.test(info.title ?? '')) return false;
    if (entries.length === 0) return info.link !== null;
    return entries.every((e) => (e.entry.link ?? '').includes('#'));
  } catch {
    // Not a feed at all (or not one feedsmith can read): certainly not a comment feed.
    return false;
  }
}

/** A comment feed as a Discussion, linked to the article it discusses; `where` names the file or URL in messages. */
export function parseCommentFeed(where: string, bytes: Buffer | string, options: ParseOptions = {}): Discussion {
  const self = isHttpUrl(where) ? where : null;
  if (bytes.length > MAX_COMMENT_FEED_BYTES)
    throw new ParseError(where, null, `a comment feed of at most ${MAX_COMMENT_FEED_BYTES} bytes, got ${bytes.length}`);
  const { text, warnings: decoding } = feedText(bytes, where);
  // The document is read once. Only when it cannot be read does parseFeed read it again, to name
  // what is wrong with it as every feed error does (an HTML page, cut off, not well-formed).
  const doc = readWholeCommentFeed(text);
  if (doc === null) {
    parseFeed(bytes, { file: where, url: self });
    throw new ParseError(where, null, 'a comment feed (RSS or Atom)');
  }
  const warnings = new CappedWarnings(where, decoding);

  // WordPress's Atom comment feeds link to the post's "#comments" anchor: the article is the post itself.
  const link = withoutFragment(absoluteHttp(doc.info.link, self));
  const title = doc.info.title === null ? null : collapse(doc.info.title.replace(COMMENTS_TITLE, ''));
  if (!title && link === null) throw new ParseError(where, null, 'a comment feed that names its article: a title or a link to the post');
  const source = options.source ?? null;
  const comments = toComments(doc.entries, link ?? self, warnings);
  const missing = doc.totalResults !== null && doc.totalResults > doc.entries.length ? doc.totalResults - doc.entries.length : 0;

  const article: Article = {
    id: articleId({ url: link, source, title: title || (link ?? '') }),
    title: title || (link ?? ''),
    url: link,
    source,
    author: null,
    publishedAt: null,
    language: doc.info.language !== null && LANGUAGE_TAG.test(doc.info.language) ? doc.info.language : null,
    body: [],
    comments,
    declaredCommentCount: doc.totalResults,
    commentsUrl: self,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  };
  const valid = Article.safeParse(article);
  if (!valid.success) {
    const issue = valid.error.issues[0];
    throw new ParseError(where, null, `a comment feed that makes a valid article; ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'it does not'}`);
  }
  return { kind: 'comment-feed', url: self, article: valid.data, missing, more: [], warnings: warnings.done() };
}

/** The entries as comments, replies resolved by the guid (`ref`) or link (`href`) of the entry answered. */
function toComments(entries: readonly CommentFeedEntry[], base: string | null, warnings: CappedWarnings): Comment[] {
  const byRef = new Map<string, string>();
  const byLink = new Map<string, string>();
  const ids = new Set<string>();
  const keyed: { e: CommentFeedEntry; id: string; url: string | null }[] = [];
  for (const e of entries) {
    const key = e.entry.guid ?? e.entry.link;
    if (key === null) {
      warnings.add('items without guid or link', `item ${e.entry.position} has no guid or link to know it by; left out`);
      continue;
    }
    const id = `feed:${key}`;
    if (ids.has(id)) {
      warnings.add('repeated items', `item ${e.entry.position} repeats the ${e.entry.guid ? 'guid' : 'link'} "${key.slice(0, 80)}"; left out`);
      continue;
    }
    ids.add(id);
    const url = absoluteHttp(e.entry.link, base);
    if (e.entry.guid !== null) byRef.set(e.entry.guid, id);
    if (url !== null && !byLink.has(url)) byLink.set(url, id);
    keyed.push({ e, id, url });
  }
  const out: Comment[] = [];
  for (const { e, id, url } of keyed) {
    const parent = e.inReplyTo
      .map((r) => (r.ref !== null ? byRef.get(r.ref) : undefined) ?? (r.href !== null ? byLink.get(absoluteHttp(r.href, base) ?? '') : undefined))
      .find((p) => p !== undefined && p !== id);
    const postedAt = e.entry.dates.map(parseFeedDate).find((d) => d !== null) ?? null;
    if (postedAt === null && e.entry.dates[0] !== undefined)
      warnings.add('dates not understood', `item ${e.entry.position}: date "${e.entry.dates[0].slice(0, 60)}" not understood; left empty`);
    const published = parseFeedDate(e.published);
    const updated = parseFeedDate(e.updated);
    const comment: Comment = {
      id,
      number: null,
      author: e.entry.authors.map(collapse).join(', ') || null,
      authorId: null,
      postedAt,
      rating: null,
      paragraphs: paragraphsOf(e, url ?? base),
      quotes: [],
      // A ref that matches no entry names the post itself (or a comment on another page): a reply to the article.
      replyTo: parent ?? null,
      url,
      editedAt: published !== null && updated !== null && Date.parse(updated) > Date.parse(published) ? updated : null,
    };
    const checked = Comment.safeParse(comment);
    if (checked.success) out.push(checked.data);
    else warnings.add('invalid comments', `item ${e.entry.position} left out: ${checked.error.issues[0]?.message ?? 'not a valid comment'}`);
  }
  return out;
}

/** The first text candidate that has any text (content:encoded, then description), paragraph by paragraph. */
function paragraphsOf(e: CommentFeedEntry, base: string | null): string[] {
  for (const text of e.entry.texts) {
    const blocks = text.html && looksLikeHtml(text.value) ? htmlToBlocks(text.value, base) : textToBlocks(text.value);
    if (blocks.length > 0) return blocks.map((b) => b.text);
  }
  return [];
}

function withoutFragment(url: string | null): string | null {
  if (url === null) return null;
  const u = new URL(url);
  u.hash = '';
  return u.href;
}
