/**
 * Tells a saved feed file from Paperboy's own sources, so that `paperboy ingest` and the inbox can
 * hand feeds to `parseFeed` and everything else to the article parsers.
 */
import { extname } from 'node:path';
import { formatOfRoot, rootElement } from './parse.ts';

/** Extensions that only feeds use: such a file is a feed even when broken, so that its error says so. */
const FEED_EXTENSIONS = new Set(['.rss', '.atom', '.rdf']);
/** Enough of the start of a file to see past an XML prolog (declaration, stylesheets, comments). */
const SNIFF_BYTES = 4096;
// A JSON string cannot hold an unescaped quote, so this only matches a real "version" member: Paperboy's
// own JSON has none (its schema rejects unknown keys), a JSON Feed must have one.
const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//;

/**
 * Whether a file is a feed: `.rss`, `.atom` and `.rdf` always; `.xml` when its root element is
 * `<rss>`, `<feed>` or `<rdf:RDF>`; `.json` when it is an object with a JSON Feed `version`
 * (`https://jsonfeed.org/version/1.1`). Anything else, Paperboy's `.json`, `.jsonl` and `.txt`
 * included, is not.
 *
 * @example isFeed(readFileSync('news.xml'), 'news.xml') // true for an RSS document
 */
export function isFeed(bytes: Buffer, fileName: string): boolean {
  const ext = extname(fileName).toLowerCase();
  if (FEED_EXTENSIONS.has(ext)) return true;
  if (ext === '.xml') {
    // Latin-1 keeps every byte one character; the prolog and root element name are ASCII in any
    // ASCII-compatible encoding (UTF-16 files start with a byte-order mark, dropped here with the zeros).
    const head = bytes
      .subarray(0, SNIFF_BYTES)
      .toString('latin1')
      .replace(/^(\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/, '')
      .replace(/\0/g, '');
    const root = rootElement(head);
    return root !== null && formatOfRoot(root) !== null;
  }
  if (ext === '.json') {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return text.trimStart().startsWith('{') && JSON_FEED_VERSION.test(text);
  }
  return false;
}
