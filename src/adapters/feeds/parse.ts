/**
 * Feeds to Articles, without network: RSS 0.9x and 2.0, RSS 0.90 and 1.0 (RDF), Atom, and JSON Feed
 * 1.0/1.1. The bytes are decoded (see decode.ts), the format is told from the root element (or the
 * JSON Feed `version`), feedsmith reads the document, and every item becomes an Article.
 *
 * Input that is not a feed at all (empty, truncated, an HTML page, other XML or JSON) throws a
 * {@link ParseError} naming the file or URL and what was expected; one bad item only costs a warning.
 */
import { DetectError, MalformedError, ParseError as FeedsmithParseError, parseAtomFeed, parseJsonFeed, parseRdfFeed, parseRssFeed } from 'feedsmith';
// feedsmith's own XML parser (a dependency of it), for the validator that says where a document breaks.
import { XMLValidator } from 'fast-xml-parser';
import { ParseError } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';
import { toArticles } from './articles.ts';
import { decodeFeed } from './decode.ts';
import type { ReadFeed } from './entry.ts';
import { readAtom, readJson, readRdf, readRss } from './formats.ts';
import { collapse } from './html.ts';
import { endsWithClosedRoot, htmlTitle, prologEnd } from './xml-edges.ts';

/** Where a feed came from and how to label its Articles; every field is optional. */
export interface FeedParseOptions {
  /**
   * The URL the feed was fetched from: named in errors, a base for relative links, and the feed's
   * identity when the feed does not state its own (a site link or Atom id).
   * @default null
   */
  readonly url?: string | null;
  /**
   * The saved file the feed was read from, named in errors instead of the URL, e.g. `'inbox/news.rss'`.
   * @default null
   */
  readonly file?: string | null;
  /**
   * The HTTP Content-Type header, whose charset is one of the encoding hints, e.g. `'text/xml; charset=windows-1251'`.
   * @default null
   */
  readonly contentType?: string | null;
  /**
   * The publication name for the Articles, e.g. the name given in `/feed add`.
   * @default the feed's own title
   */
  readonly source?: string | null;
  /**
   * The `ingestedAt` of the Articles.
   * @default new Date()
   */
  readonly now?: Date;
}

/** The result of {@link parseFeed}. */
export interface ParsedFeed {
  /** The feed's title, or null when it has none. */
  readonly title: string | null;
  /** One Article per readable item, in feed order. */
  readonly items: Article[];
  /** Things an operator should hear about that did not stop the feed: skipped items, odd encodings, bad dates. */
  readonly warnings: string[];
}

/** The XML feed formats, told apart by their root element. */
type XmlFormat = 'rss' | 'atom' | 'rdf';

const EXPECTED = 'a feed (RSS, Atom or JSON Feed)';
const CONTENT_EXPECTED: Readonly<Record<XmlFormat, string>> = {
  rss: 'an RSS feed: a <channel> inside ROOT',
  atom: 'an Atom feed: a title, an id or entries inside ROOT',
  rdf: 'an RSS 1.0 feed: a <channel> or items inside ROOT',
};
const JSON_FEED_VERSION = /^https?:\/\/jsonfeed\.org\/version\//;

/** Reads a feed document into Articles. Throws {@link ParseError} when it is not a readable feed. */
export function parseFeed(bytes: Buffer | string, options: FeedParseOptions = {}): ParsedFeed {
  const name = options.file ?? options.url ?? 'feed';
  if (bytes.length === 0) throw new ParseError(name, null, `${EXPECTED}, got an empty body`);
  const decoded = typeof bytes === 'string' ? { text: bytes, warnings: [] } : decodeFeed(bytes, options.contentType, name);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ParseError(name, null, `${EXPECTED}, got a body of only whitespace`);

  const read = /^\s*[{[]/.test(text) ? readJsonDocument(name, text) : readXmlDocument(name, text);
  const source = options.source ?? read.info.title;
  const { items, warnings } = toArticles(read.entries, {
    name,
    info: read.info,
    url: options.url ?? null,
    source,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  });
  return { title: read.info.title, items, warnings: [...decoded.warnings, ...warnings] };
}

/** The format a root element name stands for, or null: `rss`, `feed` (Atom), `rdf:RDF` (RSS 0.90/1.0). */
export function formatOfRoot(root: string): XmlFormat | null {
  const local = root.slice(root.indexOf(':') + 1).toLowerCase();
  if (local === 'rss') return 'rss';
  if (local === 'feed') return 'atom';
  if (local === 'rdf') return 'rdf';
  return null;
}

/** The name of the document's root element, or null when the text does not start like XML. */
export function rootElement(text: string): string | null {
  // The name is read from a bounded slice: a name runs to the first character that cannot be in it.
  const start = prologEnd(text);
  return /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(start, start + 1024))?.[1] ?? null;
}

function readXmlDocument(name: string, text: string): ReadFeed {
  const root = rootElement(text);
  if (root === null) throw new ParseError(name, null, `${EXPECTED}, got text starting "${snippet(text)}"`);
  if (root.toLowerCase() === 'html' || /^\s*<!DOCTYPE\s+html/i.test(text)) {
    const title = htmlTitle(text);
    throw new ParseError(name, null, `${EXPECTED}, got an HTML page${title?.trim() ? ` ("${snippet(title)}")` : ''}`);
  }
  const format = formatOfRoot(root);
  if (format === null) throw new ParseError(name, null, `${EXPECTED}: a root element <rss>, <feed> or <rdf:RDF>, got <${root}>`);

  // fast-xml-parser (under feedsmith) accepts a document cut off between two items; a feed must end
  // with its root closed, and one that does not was truncated in transit or on disk.
  if (!endsWithClosedRoot(text, root)) {
    const lines = text.trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    throw new ParseError(name, lines.length, `the document to end with </${root}>; it stops at "${snippet(last.slice(-40))}" (truncated?)`);
  }

  try {
    if (format === 'rss') return readRss(parseRssFeed(text));
    if (format === 'atom') return readAtom(parseAtomFeed(text));
    return readRdf(parseRdfFeed(text));
  } catch (error) {
    // feedsmith's parser is lenient and tells no line; the validator finds the first fault and its line.
    const fault = firstXmlFault(text);
    if (error instanceof MalformedError) {
      const cause = fault ? `: ${fault}` : error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new ParseError(name, null, `well-formed XML in <${root}>${snippet(cause, 200)}`);
    }
    // feedsmith found the root but nothing of a feed inside it (an <rss> without a <channel>, an empty <feed>).
    if (error instanceof FeedsmithParseError || error instanceof DetectError) {
      if (fault) throw new ParseError(name, null, `well-formed XML in <${root}>: ${snippet(fault, 200)}`);
      throw new ParseError(name, null, CONTENT_EXPECTED[format].replace('ROOT', `<${root}>`));
    }
    throw error;
  }
}

/** The XML parser's first complaint about `text`, ending with its place ("… at line 5, column 23"), or null when it is well-formed. */
function firstXmlFault(text: string): string | null {
  const result = XMLValidator.validate(text);
  if (result === true) return null;
  // The place goes first: a long message is cut from its end, and the line is what the operator needs.
  return `at line ${result.err.line}, column ${result.err.col}: ${result.err.msg}`;
}

function readJsonDocument(name: string, text: string): ReadFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ParseError(name, null, `${EXPECTED}: valid JSON (${error instanceof Error ? error.message : 'a syntax error'})`);
  }
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  const version = isObject ? (data as Record<string, unknown>).version : undefined;
  if (typeof version !== 'string' || !JSON_FEED_VERSION.test(version)) {
    const got = !isObject
      ? Array.isArray(data)
        ? 'an array'
        : `${typeof data}`
      : version === undefined
        ? 'no version'
        : `version ${snippet(JSON.stringify(version))}`;
    throw new ParseError(name, null, `a JSON Feed: an object whose "version" starts with https://jsonfeed.org/version/, got ${got}`);
  }
  try {
    return readJson(parseJsonFeed(data));
  } catch (error) {
    if (error instanceof FeedsmithParseError || error instanceof DetectError) throw new ParseError(name, null, 'a JSON Feed with a title and items');
    throw error;
  }
}

function snippet(text: string, max = 60): string {
  const line = collapse(text);
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
