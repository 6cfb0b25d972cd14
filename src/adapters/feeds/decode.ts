/**
 * Feed bytes to text. Feeds state their encoding in three places (a byte-order mark, the HTTP
 * Content-Type charset, the XML declaration), and often wrongly or not at all, so the bytes get the
 * last word where they can:
 *
 * 1. a byte-order mark, or UTF-16 text without one (`<` followed or preceded by a zero byte);
 * 2. bytes that are valid UTF-8 are UTF-8: legacy text with accented letters is practically never
 *    valid UTF-8 by chance, and a server that says `charset=ISO-8859-1` over UTF-8 is common;
 * 3. otherwise the first encoding declared (HTTP, then the XML declaration) that is not UTF-8;
 * 4. otherwise a guess from the bytes (jschardet), and windows-1252 when it has none.
 *
 * ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do: "ISO-8859-1" feeds routinely
 * carry windows-1252 curly quotes and dashes in 0x80–0x9F, which ISO-8859-1 would make control codes.
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import type { detect as Detect } from 'jschardet';

// jschardet is loaded on the first undeclared non-UTF-8 feed, not at import: loading it costs about
// 70 ms and 16 MB, and its language model another 50 MB on first use, which most processes never need.
const require = createRequire(import.meta.url);
let detector: typeof Detect | undefined;

/** Decoded feed text, with what it was read as and anything odd about its declarations. */
export interface DecodedFeed {
  readonly text: string;
  /** The encoding the text was read as, e.g. `utf-8`, `windows-1252`. */
  readonly encoding: string;
  readonly warnings: string[];
}

const WINDOWS_1252_ALIASES = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'us-ascii', 'ascii', 'cp819', 'ibm819']);
// The first kilobyte is enough: the declaration must be the very first thing in the document.
const XML_DECLARATION = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** The charset parameter of a Content-Type header (`text/xml; charset="windows-1251"`), or null. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** Decodes feed bytes as described above; `name` (a file or URL) is only used in warnings. */
export function decodeFeed(bytes: Buffer, contentType: string | null | undefined, name: string): DecodedFeed {
  const warnings: string[] = [];
  const bom = byteOrderMark(bytes);
  if (bom) return { text: iconv.decode(bytes, bom), encoding: bom, warnings };

  const declared = [
    { where: 'the Content-Type header', label: charsetOf(contentType) },
    { where: 'the XML declaration', label: XML_DECLARATION.exec(bytes.subarray(0, 1024).toString('latin1'))?.[1] ?? null },
  ].flatMap(({ where, label }) => {
    if (label === null) return [];
    const encoding = canonical(label);
    if (encoding) return [{ where, label, encoding }];
    warnings.push(`${name}: ${where} names the encoding "${label}", which is unknown; it was ignored`);
    return [];
  });

  if (isUtf8(bytes)) {
    const other = declared.find((d) => d.encoding !== 'utf-8');
    if (other && hasNonAscii(bytes)) {
      warnings.push(`${name}: ${other.where} says "${other.label}" but the bytes are UTF-8; read as UTF-8`);
    }
    return { text: iconv.decode(bytes, 'utf-8'), encoding: 'utf-8', warnings };
  }

  const usable = declared.find((d) => d.encoding !== 'utf-8');
  if (usable) return { text: iconv.decode(bytes, usable.encoding), encoding: usable.encoding, warnings };

  const guessed = guess(bytes);
  const said = declared[0];
  warnings.push(
    said
      ? `${name}: ${said.where} says "${said.label}" but the bytes are not UTF-8; read as ${guessed}`
      : `${name}: no encoding declared and the bytes are not UTF-8; read as ${guessed}`,
  );
  return { text: iconv.decode(bytes, guessed), encoding: guessed, warnings };
}

function byteOrderMark(bytes: Buffer): string | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  // XML in UTF-16 without a mark still starts with "<" (or whitespace) as a two-byte unit.
  if (a === 0x3c && b === 0x00) return 'utf-16le';
  if (a === 0x00 && b === 0x3c) return 'utf-16be';
  return null;
}

/** The name iconv-lite knows a label by, with the ISO-8859-1 family read as windows-1252; null if unknown. */
function canonical(label: string): string | null {
  const lower = label.trim().toLowerCase();
  if (WINDOWS_1252_ALIASES.has(lower)) return 'windows-1252';
  if (lower === 'utf-8' || lower === 'utf8') return 'utf-8';
  return iconv.encodingExists(lower) ? lower : null;
}

function guess(bytes: Buffer): string {
  detector ??= (require('jschardet') as { detect: typeof Detect }).detect;
  const detected = detector(bytes).encoding;
  const encoding = detected ? canonical(detected) : null;
  // UTF-8 or ASCII cannot be right for bytes that failed the UTF-8 check.
  return encoding && encoding !== 'utf-8' ? encoding : 'windows-1252';
}

function hasNonAscii(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}
