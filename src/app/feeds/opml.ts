/**
 * OPML import and export of the feeds Paperboy reads (`paperboy feed import | export`, /feed import |
 * export). Import reads every outline with an `xmlUrl`, folders flattened; each outline it cannot
 * use is named with the reason and the rest are imported. Export writes one outline per feed.
 */
import { XMLValidator } from 'fast-xml-parser';
import { generateOpml, parseOpml } from 'feedsmith';
import { UserError, errorMessage } from '../../core/errors.ts';
import type { FeedState } from '../../core/state.ts';
import type { FeedRegistry } from './registry.ts';
import { defaultFeedName, feedAddress } from './manage.ts';

/** The largest OPML file read: a list of feeds, not a library (a few thousand feeds fit in 1 MB). */
export const OPML_MAX_BYTES = 1_000_000;
/** The most feed outlines one import adds or looks at; the rest are refused, named. */
export const OPML_MAX_FEEDS = 2_000;
/** Folders nest this deep at most: the parser recurses, and a hostile file could nest without end. */
const MAX_DEPTH = 32;
const MAX_NAME = 100;

export interface RefusedOutline {
  /** The outline as the file names it: its text or title, else its xmlUrl, else its position. */
  readonly outline: string;
  readonly reason: string;
}

export interface OpmlImport {
  readonly added: readonly { readonly url: string; readonly name: string }[];
  /** Feeds already read (left as they are, name included), or named twice in the file. */
  readonly existing: readonly string[];
  readonly refused: readonly RefusedOutline[];
}

type Outline = NonNullable<NonNullable<ReturnType<typeof parseOpml>['body']>['outlines']>[number];

/**
 * The `>` that ends the tag starting before `from`, or -1: a `>` inside a quoted attribute value
 * (`text="A -> B"`) does not. Each character is looked at once (a quoted value is skipped whole).
 */
function tagEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '>') return i;
    if (c === '"' || c === "'") {
      i = text.indexOf(c, i + 1);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/**
 * How deep the document's elements nest, in one pass that never reads a character twice: each tag,
 * comment, CDATA section or processing instruction is skipped whole to its end. Run on a document
 * the validator accepted, so a tag holds no `<`.
 */
function nesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let at = text.indexOf('<');
  while (at >= 0) {
    const close = text.startsWith('<!--', at) ? '-->' : text.startsWith('<![CDATA[', at) ? ']]>' : '>';
    const end = close === '>' ? tagEnd(text, at + 1) : text.indexOf(close, at + 1);
    if (end < 0) break;
    const next = text[at + 1];
    if (next === '/') depth--;
    else if (next !== '?' && next !== '!' && text[end - 1] !== '/') deepest = Math.max(deepest, ++depth);
    at = text.indexOf('<', end + close.length);
  }
  return deepest;
}

/** The outlines of an OPML document, or a UserError naming `file` and what is wrong (with its line when the XML breaks). */
export function readOpml(text: string, file: string): Outline[] {
  if (Buffer.byteLength(text) > OPML_MAX_BYTES) throw new UserError('bad-input', `${file}: an OPML file is at most ${OPML_MAX_BYTES / 1e6} MB`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new UserError('bad-input', `${file}:${valid.err.line}: not well-formed XML (column ${valid.err.col}): ${valid.err.msg}`);
  if (nesting(text) > MAX_DEPTH) throw new UserError('bad-input', `${file}: folders nest deeper than ${MAX_DEPTH} levels`);
  try {
    const doc = parseOpml(text);
    return doc.body?.outlines ?? [];
  } catch (error) {
    throw new UserError('bad-input', `${file}: not an OPML file (an <opml> with a <body> of outlines): ${errorMessage(error)}`, { cause: error });
  }
}

/** Every outline with or without an xmlUrl, folders flattened, with its label for messages. */
function flatten(outlines: readonly Outline[]): { outline: Outline; label: string }[] {
  const found: { outline: Outline; label: string }[] = [];
  const walk = (list: readonly Outline[], path: string): void => {
    list.forEach((o, i) => {
      const label = `${path}${o.text ?? o.title ?? o.xmlUrl ?? `outline ${i + 1}`}`;
      if (o.xmlUrl !== undefined || !o.outlines?.length) found.push({ outline: o, label });
      if (o.outlines?.length) walk(o.outlines, `${label} / `);
    });
  };
  walk(outlines, '');
  return found;
}

/** Adds the feeds the outlines name; what was added, already there, and refused (each with why). */
export async function importOpml(registry: Pick<FeedRegistry, 'get' | 'add'>, outlines: readonly Outline[], now: Date): Promise<OpmlImport> {
  const added: { url: string; name: string }[] = [];
  const existing: string[] = [];
  const refused: RefusedOutline[] = [];
  const seen = new Set<string>();
  for (const { outline, label } of flatten(outlines)) {
    if (outline.xmlUrl === undefined) {
      refused.push({ outline: label, reason: 'no xmlUrl: not a feed' });
      continue;
    }
    let url: string;
    try {
      url = feedAddress(outline.xmlUrl);
    } catch (error) {
      refused.push({ outline: label, reason: errorMessage(error) });
      continue;
    }
    if (seen.has(url) || (await registry.get(url))) {
      existing.push(url);
      seen.add(url);
      continue;
    }
    if (seen.size >= OPML_MAX_FEEDS) {
      refused.push({ outline: label, reason: `more than ${OPML_MAX_FEEDS} feeds in one file` });
      continue;
    }
    seen.add(url);
    const name = (outline.title ?? outline.text ?? '').trim().slice(0, MAX_NAME) || defaultFeedName(url);
    await registry.add(url, name, now);
    added.push({ url, name });
  }
  return { added, existing, refused };
}

/** An OPML document listing `feeds`, one outline each (its name as text and title, its URL as xmlUrl). */
export function exportOpml(feeds: readonly FeedState[], now: Date): string {
  // An OPML body must hold an outline (feedsmith refuses an empty one), and an empty file helps no one.
  if (feeds.length === 0) throw new UserError('not-found', 'there are no feeds to export: add one with `feed add` (or /feed add), or import an OPML file');
  return generateOpml({
    head: { title: 'Paperboy feeds', dateCreated: now },
    body: { outlines: feeds.map((f) => ({ text: f.name, title: f.name, type: 'rss', xmlUrl: f.url })) },
  });
}

/** One line of summary: `2 added, 1 already read, 1 refused`. */
export function importSummary(result: OpmlImport): string {
  return `${result.added.length} added, ${result.existing.length} already read, ${result.refused.length} refused`;
}
