/**
 * Cutting text to a length at a sentence or word end, with a mark saying it was cut. Lengths are
 * counted in UTF-16 code units. Used by view builders for their own budgets (a title shortened in a
 * sentence, a passage in an answer) and by the Discord renderer for Discord's limits.
 */

export interface Truncated {
  text: string;
  /** Whether anything was cut. */
  truncated: boolean;
}

/** The mark that says text was cut. */
export const CUT_MARK = ' […]';

/** A cut at a sentence end is preferred while it keeps at least this share of the room. */
const SENTENCE_SHARE = 0.6;

/**
 * `text` if it fits in `max`, else the longest start of it that ends at a sentence end (or, failing
 * that, a word end) followed by CUT_MARK, all within `max`. Never splits a surrogate pair.
 */
export function truncate(text: string, max: number, mark: string = CUT_MARK): Truncated {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`truncate: expected \`max\` to be a whole number from 1 up, got \`${max}\``);
  if (text.length <= max) return { text, truncated: false };
  if (mark.length >= max) return { text: mark.slice(0, max), truncated: true };
  const room = max - mark.length;
  const head = text.slice(0, room + 1);
  let cut = -1;
  // The end of the last whole sentence that fits: end punctuation (and closing quotes), then a space.
  for (const m of head.matchAll(/[.!?…]["'»”’)\]]*(?=\s)/gu)) {
    const end = m.index + m[0].length;
    if (end <= room) cut = end;
  }
  if (cut < room * SENTENCE_SHARE) {
    const space = head.lastIndexOf(' ', room);
    cut = space > 0 ? space : room;
  }
  // A cut between the two halves of a surrogate pair would leave half a character.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { text: `${text.slice(0, cut).trimEnd()}${mark}`, truncated: true };
}
