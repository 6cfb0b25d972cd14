/**
 * One entry point for every source file: picks the parser by extension, decodes the bytes, and
 * returns Articles plus warnings (things an operator should hear about that do not stop the import).
 */
import { extname } from 'node:path';
import { ParseError } from '../../core/errors.ts';
import { parseExport } from './parse-export.ts';
import { parseJson } from './parse-json.ts';
import { isFeed } from '../feeds/detect.ts';
import { parseFeed } from '../feeds/parse.ts';
import { looksLikeCommentFeed, parseCommentFeed } from '../discussions/comment-feed.ts';
import { discussionResult, parseDiscussionJson } from '../discussions/saved.ts';
import type { ParseOptions, ParseResult } from './parse-options.ts';
import { bytePosition, describeBadByte, firstInvalidUtf8 } from './utf8.ts';

export type { ParseOptions, ParseResult } from './parse-options.ts';

type Parser = (file: string, text: string, options: ParseOptions) => ParseResult;

/** Every line of a JSON Lines file; the first bad line stops it (ingest reads such files line by line instead). */
function parseJsonLines(file: string, text: string, options: ParseOptions): ParseResult {
  const result: ParseResult = { articles: [], warnings: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseJsonLine(file, i + 1, line, options);
    result.articles.push(...parsed.articles);
    result.warnings.push(...parsed.warnings);
  });
  return result;
}

const PARSERS: Readonly<Record<string, Parser>> = {
  '.txt': parseExport,
  '.json': parseJson,
  '.jsonl': parseJsonLines,
};

/** Extensions that are feeds, or may be (`.xml`, and `.json` when it is a JSON Feed). */
export const FEED_EXTENSIONS: readonly string[] = ['.rss', '.atom', '.rdf', '.xml'];

/** Parses one source file. Throws {@link ParseError} when it cannot be read as articles. */
export function parseSource(file: string, content: Buffer | string, options: ParseOptions = {}): ParseResult {
  const ext = extname(file).toLowerCase();
  // A saved feed: its own parser decodes it, since feeds declare (or hide) their encodings.
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // An article's comment feed is a discussion, not a feed of articles.
  if (FEED_EXTENSIONS.includes(ext) && looksLikeCommentFeed(bytes)) return discussionResult(file, parseCommentFeed(file, bytes, options));
  if (FEED_EXTENSIONS.includes(ext) || (ext === '.json' && isFeed(bytes, file))) {
    const feed = parseFeed(bytes, { file, source: options.source ?? null, now: options.now });
    return { articles: feed.items, warnings: feed.warnings };
  }
  const parser = PARSERS[ext];
  if (!parser) {
    const names = [...Object.keys(PARSERS), ...FEED_EXTENSIONS];
    const supported = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    throw new ParseError(file, null, `a file ending in ${supported}, got ${ext ? `"${ext}"` : 'no extension'}`);
  }
  const text = decode(file, content);
  if (text.trim() === '') throw new ParseError(file, null, 'a non-empty file');
  // A saved Reddit listing, Hacker News item or Discourse topic: its article is the post, with the tree.
  if (ext === '.json') return parseDiscussionJson(file, text, options) ?? parser(file, text, options);
  return parser(file, text, options);
}

/**
 * One line of a JSON Lines file (`.jsonl`, one article per line, as `paperboy export --jsonl`
 * writes): parsed as JSON, with errors pointing at the line in the file.
 */
export function parseJsonLine(file: string, line: number, text: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseJson(`${file}:${line}`, text, options);
  } catch (error) {
    if (error instanceof ParseError) throw new ParseError(file, line, error.expected);
    throw error;
  }
}

function decode(file: string, content: Buffer | string): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  try {
    // `fatal` because silently turning bad bytes into U+FFFD would corrupt text we must quote verbatim;
    // TextDecoder drops a leading byte-order mark by itself.
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    // Named by line and column, so the operator can find the one bad byte in a large file.
    const bad = firstInvalidUtf8(content);
    if (bad === -1) throw new ParseError(file, null, 'UTF-8 text (the file has bytes that are not UTF-8)');
    const at = bytePosition(content, bad);
    // The line goes in the message, not the ParseError's line: the file as a whole is not text.
    throw new ParseError(file, null, describeBadByte(content, bad, at.column, at.line));
  }
}
