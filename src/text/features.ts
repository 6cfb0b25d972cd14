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
