/** Small pieces of wording shared by the command views. */
import { type Article, type Block, type Comment, isHttpUrl } from '../../core/model.ts';
import type { EmbedField } from '../../core/view.ts';
import { escape } from './markdown.ts';
import { truncate } from '../../core/text/truncate.ts';
import { isThreadReply } from '../../core/comments.ts';
import { commentSource, isImported } from './comment-source.ts';

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `2021-10-20T10:12` → `2021-10-20 10:12`: shown as the source gave it, with no time zone guessed. */
export function showTime(iso: string | null): string {
  return iso
    ? iso
        .replace('T', ' ')
        .replace(/:00(\.0+)?(?=Z|[+-]|$)/, '')
        .replace(/Z$/, ' UTC')
    : '';
}

/**
 * showTime for an imported comment: a zero fraction of a second (`03:13:41.000Z`, as platforms'
 * epoch seconds become) says nothing, so it goes. Kept apart from showTime, which commentHeader
 * uses and delivery recognises its posts by.
 */
export function commentTime(iso: string | null): string {
  return showTime(iso === null ? null : iso.replace(/\.0+(?=Z$|[+-]\d\d:\d\d$|$)/, ''));
}

export function commentLabel(c: Pick<Comment, 'id' | 'number'>): string {
  if (isThreadReply(c)) return 'a thread reply';
  return c.number === null ? `comment ${c.id}` : `comment #${c.number}`;
}

/**
 * A comment named for a reader, as markdown (escaped): an imported one by its author and platform
 * ("alienth on Reddit"), since its id means nothing to a reader; others by their label as before.
 */
const NAME_CHARS = 100;

export function commentName(c: Pick<Comment, 'id' | 'number' | 'author'> & { readonly url?: string | null }): string {
  if (isImported(c)) return `${escape(truncate(c.author ?? 'unknown author', NAME_CHARS, '…').text)} on ${escape(commentSource(c) ?? '')}`;
  return escape(commentLabel(c));
}

/** "4 comments", or "3 of 12 comments" when the source showed more than are stored. */
export function commentCount(a: Pick<Article, 'comments' | 'declaredCommentCount'>): string {
  const stored = a.comments.length;
  const declared = a.declaredCommentCount;
  return declared !== null && declared > stored ? `${stored} of ${plural(declared, 'comment')}` : plural(stored, 'comment');
}

/** The longest comments link shown: well inside an embed field's 1,024 characters with the count before it. */
const MAX_LINK_CHARS = 900;

/**
 * Source, date and comment count as embed fields; a field the article lacks is left out, not invented.
 * The source and author are the article's text, shown as written (Discord reads markdown in field values).
 */
export function articleFields(a: Pick<Article, 'source' | 'author' | 'publishedAt' | 'comments' | 'declaredCommentCount' | 'commentsUrl'>): EmbedField[] {
  const fields: EmbedField[] = [];
  if (a.source) fields.push({ name: 'Source', value: escape(a.source), inline: true });
  if (a.author) fields.push({ name: 'Author', value: escape(a.author), inline: true });
  if (a.publishedAt) fields.push({ name: 'Published', value: showTime(a.publishedAt), inline: true });
  // The source's own discussion, linked, when a feed named it.
  // Only an http(s) link: one stored before ingest checked the scheme must not become a javascript: link.
  // One too long for the field would be cut into a broken link: it is left out.
  const url = a.commentsUrl && isHttpUrl(a.commentsUrl) && a.commentsUrl.length <= MAX_LINK_CHARS ? a.commentsUrl : null;
  const at = url ? ` · [at the source](${url.replace(/\)/g, '%29')})` : '';
  fields.push({ name: 'Comments', value: `${commentCount(a)}${at}`, inline: true });
  return fields;
}

/**
 * Where a block sits, for a reader: its section, and its paragraph counted from that section's
 * heading (or from the start, before the first heading). Headings are not counted as paragraphs.
 */
export function placeOf(body: readonly Block[], block: number): string {
  let paragraph = 0;
  let section: string | null = null;
  for (let i = block; i >= 0; i--) {
    const b = body[i];
    if (!b) break;
    if (b.type === 'heading') {
      section = b.text;
      break;
    }
    paragraph++;
  }
  return section === null ? `paragraph ${paragraph}` : `"${section}", paragraph ${paragraph}`;
}
