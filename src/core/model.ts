/**
 * The Article model: the one shape the rest of Paperboy sees. Parsers produce it, the store keeps
 * it, the text engine and the front ends read it. A field the source lacks is `null` (or empty):
 * nothing is invented.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { notADay } from './text/day.ts';

/**
 * Whether `text` is an absolute http or https URL. Only these reach a Discord payload (it refuses
 * other schemes in an embed), and a `javascript:` or `data:` link must never reach a reader.
 */
export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A link an article carries: refused at ingest unless http(s), with a message naming what was wrong. */
const HttpUrl = z.string().refine(isHttpUrl, { message: 'an absolute http:// or https:// URL (other schemes, such as javascript: or ftp:, are refused)' });

/** ISO 8601 date or date-time; an offset is optional because some sources give local times only. */
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/, 'an ISO 8601 date or date-time')
  // The shape lets 2021-13-45 and 25:61 through; a stored date that names no moment would sort and
  // filter wrongly for good.
  .superRefine((value, ctx) => {
    const why = notADay(value.slice(0, 10)) ?? notATime(value);
    if (why) ctx.addIssue({ code: 'custom', message: `an ISO 8601 date or date-time that exists (${why})` });
  });

/** Why the time part of `value` (after `T`: hh:mm, then :ss when given) names no time of day, or null. */
function notATime(value: string): string | null {
  if (value[10] !== 'T') return null;
  const hours = value.slice(11, 13);
  const minutes = value.slice(14, 16);
  const seconds = value[16] === ':' ? value.slice(17, 19) : '00';
  if (Number(hours) > 23) return `there is no hour ${hours}`;
  if (Number(minutes) > 59) return `there is no minute ${minutes}`;
  // 60 is a leap second.
  if (Number(seconds) > 60) return `there is no second ${seconds}`;
  return null;
}

/** Categories an article keeps, and the length of each: a feed can list any number of any length. */
export const MAX_CATEGORIES = 50;
export const MAX_CATEGORY_CHARS = 200;

export const ParagraphBlock = z.object({ type: z.literal('paragraph'), text: z.string().min(1) }).strict();
export const HeadingBlock = z.object({ type: z.literal('heading'), text: z.string().min(1) }).strict();
/** A quotation in the article, with the attribution line that followed it ("- Lavrov emphasized, …"). */
export const QuoteBlock = z.object({ type: z.literal('quote'), text: z.string().min(1), attribution: z.string().nullable() }).strict();
export const Block = z.discriminatedUnion('type', [ParagraphBlock, HeadingBlock, QuoteBlock]);

/** A comment paragraph that repeats an article passage: which paragraph of the comment, which block of the article. */
export const CommentQuote = z.object({ paragraph: z.number().int().min(0), block: z.number().int().min(0) }).strict();

export const Comment = z
  .object({
    /** Stable within its article: the source's own id, or `n<number>` for numbered exports. */
    id: z.string().min(1),
    number: z.number().int().nullable(),
    author: z.string().nullable(),
    /** The author's id at the source (a Discord user id for thread replies). */
    authorId: z.string().nullable(),
    postedAt: isoTime.nullable(),
    rating: z.number().int().nullable(),
    /** The text, verbatim, paragraph by paragraph. May be empty: some comments have no text. */
    paragraphs: z.array(z.string()),
    /** Paragraphs of this comment that repeat article passages. */
    quotes: z.array(CommentQuote),
    /** The id of the comment this one answers. */
    replyTo: z.string().nullable(),
    /**
     * Where the comment can be read at its source (a Reddit or Hacker News permalink). Absent or null
     * when the source gives none: the article-page export and thread replies have none.
     */
    url: HttpUrl.nullable().optional(),
    /** When the source says it was last edited; absent or null when it says nothing. */
    editedAt: isoTime.nullable().optional(),
    /**
     * Deleted or removed at its source. Its text is gone (paragraphs empty) but the comment stays,
     * so that the replies to it keep their place in the tree. Absent means false.
     */
    deleted: z.boolean().optional(),
  })
  .strict();

export const Article = z
  .object({
    id: z.string().regex(/^[0-9a-f]{16}$/, 'a 16-digit hex id'),
    title: z.string().min(1),
    url: HttpUrl.nullable(),
    /** The publication or feed name. */
    source: z.string().nullable(),
    author: z.string().nullable(),
    publishedAt: isoTime.nullable(),
    /** BCP 47 tag when the source states it. */
    language: z.string().nullable(),
    body: z.array(Block),
    comments: z.array(Comment),
    /** The comment count the source showed; may differ from `comments.length`. */
    declaredCommentCount: z.number().int().min(0).nullable(),
    /** Where the source's own discussion is (a feed's comments link), when it says. */
    commentsUrl: HttpUrl.nullable(),
    /** When Paperboy first stored the article. */
    ingestedAt: isoTime,
    /**
     * The feed's categories or tags for the item (RSS `<category>`, Atom `<category term>`, JSON Feed
     * `tags`), for filters. Absent when the source gives none.
     */
    categories: z.array(z.string().min(1).max(MAX_CATEGORY_CHARS)).max(MAX_CATEGORIES).optional(),
  })
  .strict();

export type Block = z.infer<typeof Block>;
export type CommentQuote = z.infer<typeof CommentQuote>;
export type Comment = z.infer<typeof Comment>;
export type Article = z.infer<typeof Article>;

/** The identity key: the URL when there is one, else source and title. */
export function identityKey(a: { url: string | null; source: string | null; title: string }): string {
  if (a.url) {
    const u = new URL(a.url);
    u.hash = '';
    return `url:${u.href}`;
  }
  return `title:${a.source ?? ''}\n${a.title.trim()}`;
}

/** A stable 16-hex-digit id derived from the identity key, so the same article always gets the same id. */
export function articleId(a: { url: string | null; source: string | null; title: string }): string {
  return createHash('sha256').update(identityKey(a)).digest('hex').slice(0, 16);
}

/** The article's text as plain paragraphs, headings and quotes included, in order. */
export function bodyText(a: Pick<Article, 'body'>): string {
  return a.body.map((b) => (b.type === 'quote' && b.attribution ? `${b.text}\n\n${b.attribution}` : b.text)).join('\n\n');
}

export function commentText(c: Pick<Comment, 'paragraphs'>): string {
  return c.paragraphs.join('\n\n');
}
