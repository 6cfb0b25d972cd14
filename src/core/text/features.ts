/** Surface signals of a sentence that the rankers weigh: how much of it is quoted speech, whether it states a number. */

/** Quotation marks by code point: " “ ” „ « » ' ‘ ’ ‹ ›. */
const QUOTE_MARKS = new Set([0x22, 0x201c, 0x201d, 0x201e, 0xab, 0xbb, 0x27, 0x2018, 0x2019, 0x2039, 0x203a]);
const APOSTROPHES = new Set([0x27, 0x2019]);
const ANY_QUOTE = /["“”„«»'‘’‹›]/u;

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/**
 * Share of the sentence's characters inside quotation marks (0 to 1). Apostrophes inside words
 * ("don't", "Queen's") are not quotation marks; an unclosed quote counts to the end.
 */
export function quoteFraction(text: string): number {
  if (!ANY_QUOTE.test(text)) return 0;
  let inside = false;
  let quoted = 0;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (QUOTE_MARKS.has(code)) {
      const apostrophe = APOSTROPHES.has(code) && isLetter(text[i - 1]) && isLetter(text[i + 1]);
      if (!apostrophe) {
        inside = !inside;
        continue;
      }
    }
    total++;
    if (inside) quoted++;
  }
  return total > 0 ? quoted / total : 0;
}

/** Whether the text states a figure: a date, a count, a score, an amount. */
export function hasNumber(text: string): boolean {
  return /\d/.test(text);
}

/**
 * Page furniture that news text carries between its sentences: cues for video, links and comments,
 * timestamps, agency notices. Each pattern is specific enough not to match a sentence of reporting.
 */
const FURNITURE = [
  /\bscroll down for\b/i, // "Scroll down for video" (glued to the photo caption after it)
  /\bclick here\b/i,
  /^(?:read more|read|watch|see also|related|more)\s*:/i, // link lines: "READ MORE: ...", "Watch: ..."
  /\b(?:published|updated)\s*:/i, // "PUBLISHED: 10:48 EST, 2 April 2015"
  /^last (?:updated|modified)\b/i,
  /^follow\s.*(?:@|\bon (?:twitter|facebook|instagram)\b)/i,
  /^(?:share (?:this|on)|sign up (?:for|to)|subscribe (?:to|for|now))\b/i,
  /\ball rights reserved\b/i,
  /\bmay not be (?:published|broadcast|rewritten|redistributed)\b/i,
  /^\(?(?:additional )?reporting by\b/i,
  /\bnot currently accepting comments\b/i,
  /^(?:photo|image|video|pictured)\s*:/i,
];

/** Lower-case words that names and bylines contain ("Sam Webb and Anthony Bond", "Mail on Sunday Reporter"). */
const NAME_JOINERS = new Set(['and', 'of', 'the', 'by', 'for', 'on', 'de', 'da', 'del', 'van', 'von', 'der', 'al', 'bin', 'le', 'la']);

/** A word that begins with a lower-case letter. */
const LOWER_WORD = /(?<![\p{L}\p{N}'’])\p{Ll}\p{L}*/gu;

/**
 * Whether a sentence reads as prose: it has letters and, in a script with case, at least one word
 * that begins lower-case other than a name joiner. Bylines ("By.", "Anthony Bond."), timestamps
 * ("10:48 EST, 2 April 2015."), separators ("|.") and one-word exclamations are not prose.
 */
export function isProse(text: string): boolean {
  if (!/\p{L}/u.test(text)) return false;
  if (!/[\p{Lu}\p{Ll}]/u.test(text)) return true;
  for (const m of text.matchAll(LOWER_WORD)) if (!NAME_JOINERS.has(m[0])) return true;
  return false;
}

/** Whether a sentence is page furniture rather than reporting: not prose, or a known cue or notice. */
export function isFurniture(text: string): boolean {
  return !isProse(text) || FURNITURE.some((re) => re.test(text));
}
