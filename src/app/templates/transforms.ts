/**
 * What a placeholder's text goes through after `|`, left to right: `upper`, `lower`, `strip`
 * (markup removed), `max:N` (cut at a word with an ellipsis). They work on the article's text as
 * written, before it is escaped for Discord, so `max:80` means 80 characters a reader sees.
 */
import { truncate } from '../../core/text/truncate.ts';

/**
 * A placeholder's text: its parts, joined by `sep` once each is escaped (a summary's sentences are
 * escaped one by one, as today's post does). `markup` parts are Paperboy's own markdown (the
 * "no summary" note) and are not escaped.
 */
export interface Value {
  readonly parts: readonly string[];
  readonly sep: string;
  readonly markup: boolean;
}

export type Transform = { readonly kind: 'upper' | 'lower' | 'strip' } | { readonly kind: 'max'; readonly n: number };

/** The most `max:N` allows: more than any Discord text holds. */
export const MAX_CHARS = 6000;
/** What a cut text ends with. */
export const ELLIPSIS = '…';

/** The transform `spec` (`upper`, `max:80`) names, or why it names none. */
export function parseTransform(spec: string): Transform | string {
  if (spec === 'upper' || spec === 'lower' || spec === 'strip') return { kind: spec };
  if (spec === 'max' || spec.startsWith('max:')) {
    const arg = spec.slice(4);
    const n = /^\d{1,5}$/u.test(arg) ? Number(arg) : NaN;
    if (!(n >= 1 && n <= MAX_CHARS)) return `\`${spec.slice(0, 20)}\` needs a whole number of characters from 1 to ${MAX_CHARS}, as in max:80`;
    return { kind: 'max', n };
  }
  return `unknown transform \`${spec.slice(0, 40)}\`; known: upper, lower, strip, max:N`;
}

export function applyTransform(value: Value, t: Transform): Value {
  switch (t.kind) {
    case 'upper':
      return { ...value, parts: value.parts.map((p) => p.toUpperCase()) };
    case 'lower':
      return { ...value, parts: value.parts.map((p) => p.toLowerCase()) };
    case 'strip':
      return { ...value, parts: value.parts.map(stripMarkup).filter((p) => p !== ''), markup: false };
    case 'max':
      return { ...value, parts: cutParts(value.parts, value.sep, t.n) };
  }
}

/**
 * The parts cut so that together (joined) they hold at most `n` characters, at a word, with an
 * ellipsis: the cut is made on the joined text, then mapped back onto the parts it kept.
 */
function cutParts(parts: readonly string[], sep: string, n: number): string[] {
  const cut = truncate(parts.join(sep), n, ELLIPSIS);
  if (!cut.truncated) return [...parts];
  const kept = cut.text.slice(0, cut.text.length - ELLIPSIS.length);
  const out: string[] = [];
  let at = 0;
  for (const part of parts) {
    if (at >= kept.length) break;
    out.push(part.slice(0, kept.length - at).trimEnd());
    at += part.length + sep.length;
  }
  const last = out.pop() ?? '';
  out.push(last + ELLIPSIS);
  return out;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/**
 * Markup taken out of article text: HTML tags, a few entities, markdown links (their text kept),
 * emphasis and code marks, and heading, quote and list marks at line starts. Each pattern stops at
 * the next bracket or line, so each character is read a bounded number of times, whatever the text.
 */
export function stripMarkup(text: string): string {
  return dropEmphasis(
    text
      .replace(/<[^<>]*>/gu, '')
      .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/gu, (_, name: string) => ENTITIES[name] ?? '')
      .replace(/\[([^[\]\n]*)\]\([^()\s]*\)/gu, '$1')
      .replace(/(^|\n)[ \t]*(?:#{1,6}|>|[-+*]|\d{1,9}\.)[ \t]+/gu, '$1'),
  )
    .replace(/[ \t]{2,}/gu, ' ')
    .trim();
}

/** `*`, `~`, backticks and `|` go; `_` goes unless it joins two word characters (snake_case stays). */
function dropEmphasis(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '*' || c === '~' || c === '`' || c === '|') continue;
    if (c === '_' && !(isWordChar(text.charAt(i - 1)) && isWordChar(text.charAt(i + 1)))) continue;
    out += c;
  }
  return out;
}

function isWordChar(c: string): boolean {
  return c !== '' && /[\p{L}\p{N}]/u.test(c);
}
