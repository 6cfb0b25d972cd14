/**
 * The plain-text article page export (DESIGN.md, "The article page export format") to an Article.
 *
 * Text is kept verbatim apart from leading and trailing whitespace: paragraphs are runs of non-blank
 * lines, and the lines of one paragraph stay separate lines (joined with "\n"), so joining the
 * paragraphs with blank lines gives back the text as it stood in the file.
 */
import { linkCommentQuotes } from './comment-quotes.ts';
import { ParseError } from '../../core/errors.ts';
import { articleId } from '../../core/model.ts';
import type { Article, Block, Comment } from '../../core/model.ts';
import type { ParseOptions, ParseResult } from './parse-options.ts';

interface Line {
  /** 1-based, as an editor shows it. */
  readonly no: number;
  /** Without trailing whitespace. */
  readonly raw: string;
  /** Without leading or trailing whitespace; empty for a blank line. */
  readonly text: string;
  readonly indent: number;
}

interface Paragraph {
  readonly lines: readonly Line[];
  readonly text: string;
  readonly blanksBefore: number;
  readonly blanksAfter: number;
}

/** `4 comments`: the end of the body. The site also exports in Russian. */
const COMMENTS_LINE = /^(\d+)\s+(?:comments?|комментари(?:й|я|ев))$/iu;
/** `  1. -1`: comment number, then rating (an exported minus may be U+2212). */
const COMMENT_HEADER = /^(\d+)\.\s+([+\-−]?\d+)$/u;
const COMMENT_DATE = /^(\d{1,2})\s+(\p{L}+)\s+(\d{4})\s+(\d{1,2}):\s?(\d{2})$/u;
/** An attribution or a reply starts with a dash and a space; Russian texts use en and em dashes too. */
const DASH_START = /^[-–—]\s/;
/** Lines the site prints after `N comments` that are neither comments nor content. */
const PAGE_FURNITURE = new Set([
  'Information',
  'Dear reader, to leave comments on the publication, you must sign in.',
  'Информация',
  'Уважаемый читатель, чтобы оставлять комментарии к публикации, необходимо авторизоваться.',
]);
/** Longer than this, a line without end punctuation is a sentence that lost its full stop, not a heading. */
const MAX_HEADING_CHARS = 120;

const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    ['january', 'января'],
    ['february', 'февраля'],
    ['march', 'марта'],
    ['april', 'апреля'],
    ['may', 'мая'],
    ['june', 'июня'],
    ['july', 'июля'],
    ['august', 'августа'],
    ['september', 'сентября'],
    ['october', 'октября'],
    ['november', 'ноября'],
    ['december', 'декабря'],
  ].flatMap((names, i) => names.map((name) => [name, i + 1] as const)),
);

/** Parses one export. Throws {@link ParseError} naming the line for a malformed comment header or date. */
export function parseExport(file: string, text: string, options: ParseOptions = {}): ParseResult {
  const lines = splitLines(text);
  const warnings: string[] = [];

  const titleAt = nextNonBlank(lines, 0);
  const titleLine = lines[titleAt];
  if (!titleLine) throw new ParseError(file, null, 'a title on the first non-empty line, got an empty file');
  if (COMMENTS_LINE.test(titleLine.text) || (titleLine.indent > 0 && COMMENT_HEADER.test(titleLine.text))) {
    throw new ParseError(file, titleLine.no, `a title on the first non-empty line, got "${titleLine.text}"`);
  }

  let bodyFrom = titleAt + 1;
  let titleCount: number | null = null;
  const countAt = nextNonBlank(lines, bodyFrom);
  const countText = lines[countAt]?.text;
  if (countText !== undefined && /^\d+$/.test(countText)) {
    titleCount = Number(countText);
    bodyFrom = countAt + 1;
  }

  const end = findBodyEnd(lines, bodyFrom);
  if (end.unmarked) warnings.push(`${file}:${lines[end.body]?.no}: comments start without a "N comments" line before them`);
  const body = toBlocks(paragraphs(lines.slice(bodyFrom, end.body)));
  if (body.length === 0) warnings.push(`${file}: no body text between the title and the comments`);
  const comments = parseComments(file, lines, end.comments, warnings);

  if (titleCount !== null && end.count !== null && titleCount !== end.count) {
    warnings.push(`${file}:${lines[end.body]?.no}: "${end.count} comments" disagrees with the count ${titleCount} under the title; keeping ${titleCount}`);
  }
  const declaredCommentCount = titleCount ?? end.count;
  if (declaredCommentCount === null && comments.length === 0) {
    // Nothing marks this as an article page export: worth a look, as a stray README.txt would look the same.
    warnings.push(`${file}: no comment count and no "N comments" line; read as an article page export without comments`);
  }
  if (declaredCommentCount !== null && declaredCommentCount !== comments.length) {
    warnings.push(`${file}: declared ${declaredCommentCount} comments, found ${comments.length}`);
  }

  const title = titleLine.text;
  const source = options.source ?? null;
  const article: Article = {
    id: articleId({ url: null, source, title }),
    title,
    url: null,
    source,
    author: null,
    publishedAt: null,
    language: null,
    body,
    comments: linkCommentQuotes(body, comments),
    declaredCommentCount,
    commentsUrl: null,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  };
  return { articles: [article], warnings };
}

function splitLines(text: string): Line[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line, i) => {
      const raw = line.trimEnd();
      const trimmed = raw.trimStart();
      return { no: i + 1, raw, text: trimmed, indent: raw.length - trimmed.length };
    });
}

function nextNonBlank(lines: readonly Line[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i]?.text === '') i++;
  return i;
}

interface BodyEnd {
  /** Index of the first line after the body. */
  readonly body: number;
  /** Index of the first line of the comment section. */
  readonly comments: number;
  /** N of the `N comments` line. */
  readonly count: number | null;
  /** The comments began without a `N comments` line. */
  readonly unmarked: boolean;
}

function findBodyEnd(lines: readonly Line[], from: number): BodyEnd {
  for (let k = from; k < lines.length; k++) {
    const line = lines[k];
    if (!line) break;
    const marker = line.indent === 0 ? COMMENTS_LINE.exec(line.text) : null;
    if (marker) return { body: k, comments: k + 1, count: Number(marker[1]), unmarked: false };
    // Without this, an export that lost its `N comments` line would pour its comments into the body.
    if (line.indent > 0 && COMMENT_HEADER.test(line.text) && parseDate(lines[k + 1]?.text ?? '') !== null) {
      return { body: k, comments: k, count: null, unmarked: true };
    }
  }
  return { body: lines.length, comments: lines.length, count: null, unmarked: false };
}

function paragraphs(lines: readonly Line[]): Paragraph[] {
  const out: { lines: Line[]; blanksBefore: number }[] = [];
  const blanksAfter: number[] = [];
  let blanks = 0;
  let current: Line[] | null = null;
  for (const line of lines) {
    if (line.text === '') {
      blanks++;
      current = null;
      continue;
    }
    if (!current) {
      if (out.length > 0) blanksAfter.push(blanks);
      current = [];
      out.push({ lines: current, blanksBefore: blanks });
      blanks = 0;
    }
    current.push(line);
  }
  blanksAfter.push(blanks);
  return out.map((p, i) => ({
    ...p,
    text: p.lines.map((l) => l.text).join('\n'),
    blanksAfter: blanksAfter[i] ?? 0,
  }));
}

/**
 * A paragraph followed by a dash paragraph is a quotation and that dash paragraph its attribution.
 * The attribution is stored as it stands, leading "- " included, so `bodyText()` gives back the
 * file's text; a renderer that wants it without the dash can strip it.
 */
function toBlocks(paras: readonly Paragraph[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i];
    if (!p) break;
    const next = paras[i + 1];
    if (next && !DASH_START.test(p.text) && DASH_START.test(next.text)) {
      blocks.push({ type: 'quote', text: p.text, attribution: next.text });
      i++;
    } else {
      blocks.push({ type: isHeading(p, next === undefined) ? 'heading' : 'paragraph', text: p.text });
    }
  }
  return blocks;
}

/**
 * A heading is one short line without end punctuation. A question or exclamation can be a heading
 * ("What should Russia do?") but so can a one-line rhetorical paragraph, so those need the heading
 * spacing the site uses: two blank lines on one side. The body's last paragraph is never a heading,
 * since a heading introduces something.
 */
function isHeading(p: Paragraph, last: boolean): boolean {
  if (last || p.lines.length !== 1 || p.text.length > MAX_HEADING_CHARS || DASH_START.test(p.text)) return false;
  const end = p.text.replace(/[»"'”’)\]]+$/u, '').slice(-1);
  if ('.,;:…'.includes(end)) return false;
  if ('?!'.includes(end)) return p.blanksBefore >= 2 || p.blanksAfter >= 2;
  return true;
}

/** `20 October 2021 10: 12` to `2021-10-20T10:12`: no offset, because the export gives none. */
function parseDate(text: string): string | null {
  const m = COMMENT_DATE.exec(text);
  if (!m) return null;
  const [, day, monthName = '', year, hour, minute] = m;
  const month = MONTHS.get(monthName.toLowerCase());
  if (month === undefined) return null;
  const [d, y, h, min] = [day, year, hour, minute].map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, month - 1, d));
  if (date.getUTCDate() !== d || h > 23 || min > 59) return null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${y}-${pad(month)}-${pad(d)}T${pad(h)}:${pad(min)}`;
}

interface CommentDraft {
  readonly comment: Comment;
  readonly headerIndent: number;
  readonly textIndent: number;
  readonly paragraphs: string[][];
  blankBefore: boolean;
}

/**
 * Comment text is indented deeper than the comment header, which is how a text line that happens
 * to look like a header ("    1. 5") stays text. Blank lines separate paragraphs; the lines of one
 * paragraph, reply lines starting with "- " included, stay one paragraph.
 */
function parseComments(file: string, lines: readonly Line[], from: number, warnings: string[]): Comment[] {
  const drafts: CommentDraft[] = [];
  const firstSeen = new Map<number, number>();
  for (let k = from; k < lines.length; k++) {
    const line = lines[k];
    if (!line) break;
    const current = drafts[drafts.length - 1];
    if (line.text === '') {
      if (current) current.blankBefore = true;
      continue;
    }
    const header = COMMENT_HEADER.exec(line.text);
    const dateLine = lines[k + 1];
    const postedAt = header ? parseDate(dateLine?.text ?? '') : null;
    // Within a comment, only a line at the header's own depth or shallower starts the next one.
    if (header && postedAt !== null && dateLine && (!current || line.indent <= current.headerIndent)) {
      const number = Number(header[1]);
      const seen = firstSeen.get(number);
      if (seen !== undefined) {
        throw new ParseError(file, line.no, `a unique comment number, got ${number} again (first on line ${seen})`);
      }
      firstSeen.set(number, line.no);
      drafts.push({
        comment: {
          id: `n${number}`,
          number,
          author: null,
          authorId: null,
          postedAt,
          rating: Number((header[2] ?? '').replace('−', '-')),
          paragraphs: [],
          quotes: [],
          replyTo: null,
        },
        headerIndent: line.indent,
        textIndent: dateLine.indent,
        paragraphs: [],
        blankBefore: false,
      });
      k++;
      continue;
    }
    if (line.indent === 0) {
      if (!PAGE_FURNITURE.has(line.text)) {
        warnings.push(`${file}:${line.no}: skipped an unindented line that is neither a comment nor known page furniture: "${clip(line.text)}"`);
      }
      continue;
    }
    if (!current || line.indent <= current.headerIndent) {
      if (header) {
        const got = dateLine?.text ? `"${clip(dateLine.text)}"` : 'nothing';
        throw new ParseError(file, line.no + 1, `a date like "20 October 2021 10: 12" after the header of comment ${header[1]}, got ${got}`);
      }
      throw new ParseError(file, line.no, `a comment header like "  1. -1" (number, then rating), got "${clip(line.text)}"`);
    }
    let paragraph = current.paragraphs[current.paragraphs.length - 1];
    if (!paragraph || current.blankBefore) {
      paragraph = [];
      current.paragraphs.push(paragraph);
    }
    paragraph.push(line.raw.slice(Math.min(line.indent, current.textIndent)));
    current.blankBefore = false;
  }
  return drafts.map((d) => ({ ...d.comment, paragraphs: d.paragraphs.map((p) => p.join('\n')) }));
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
