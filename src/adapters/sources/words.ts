/**
 * Words as comment-quotes.ts compares them: {@link tokenize} gives them as strings, and
 * {@link wordHashes} the same words as 32-bit hashes straight from the characters, with no string
 * made and no map asked, for the cheap first look that rules out nearly every paragraph.
 */

/**
 * No-break space, £, « », °, en and em dashes, curly quotes and the ellipsis: most of what is not
 * ASCII in English text. None is a letter or a digit, before NFKC or after (the ellipsis becomes
 * three full stops), and none combines with a neighbour, so read as spaces they split the same words.
 */
const PLAIN_CODES = [0xa0, 0xa3, 0xab, 0xb0, 0xbb, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026];
const PLAIN_PUNCTUATION = new RegExp(`[${PLAIN_CODES.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`, 'g');
const PLAIN = new Set(PLAIN_CODES);
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower-cased words (letters and digits); apostrophes and dashes split words on both sides alike. */
export function tokenize(text: string): string[] {
  // Plain ASCII needs neither normalization nor Unicode classes, and is most text: same words, several times faster.
  if (NON_ASCII.test(text)) {
    const plain = text.replace(PLAIN_PUNCTUATION, ' ');
    if (NON_ASCII.test(plain))
      return (
        text
          .normalize('NFKC')
          .toLowerCase()
          .match(/[\p{L}\p{N}]+/gu) ?? []
      );
    text = plain;
  }
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** A word's hash (FNV-1a over its UTF-16 code units), as {@link wordHashes} computes it. */
export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The hashes of `tokenize(text)`, in order. Text that needs Unicode rules goes through tokenize itself. */
export function wordHashes(text: string): number[] {
  const hashes: number[] = [];
  let h = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      h = Math.imul(h ^ c, FNV_PRIME);
      inWord = true;
      continue;
    }
    // As tokenize decides for the whole text: a letter outside ASCII means NFKC and Unicode classes.
    if (c > 0x7f && !PLAIN.has(c)) return tokenize(text).map(hashWord);
    if (inWord) {
      hashes.push(h);
      h = FNV_OFFSET;
      inWord = false;
    }
  }
  if (inWord) hashes.push(h);
  return hashes;
}

/** Three word hashes as one. Equal words give equal trigrams; unequal ones seldom do. */
export function trigramHash(a: number, b: number, c: number): number {
  return Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca77) ^ c;
}

/** A set of trigram hashes (open addressing over typed arrays: no allocation per entry). */
export class HashSet {
  private readonly keys: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
  }

  add(key: number): void {
    let i = spread(key) & this.mask;
    while (this.used[i] === 1) {
      if (this.keys[i] === key) return;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.keys[i] = key;
  }

  has(key: number): boolean {
    let i = spread(key) & this.mask;
    while (this.used[i] === 1) {
      if (this.keys[i] === key) return true;
      i = (i + 1) & this.mask;
    }
    return false;
  }
}

function spread(key: number): number {
  return Math.imul(key ^ (key >>> 16), 0x45d9f3b) ^ (key >>> 13);
}
