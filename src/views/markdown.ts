/**
 * Markdown for Discord: source text is escaped so that it shows exactly as written (an asterisk
 * stays an asterisk), and only the formatting Paperboy adds (bold highlights, block quotes) applies.
 */

/**
 * Text shown verbatim. Discord reads a backslash before any punctuation as an escape, so escaping
 * a character never shows the backslash. Written here rather than taken from discord.js's
 * escapeMarkdown, which measured 216 ms on one 15,000-character paragraph (its patterns rescan the
 * text); this is one linear pass.
 */
export function escape(text: string): string {
  return (
    text
      // Emphasis, code, strike-through, spoilers, and the backslash itself, anywhere.
      .replace(/[\\*_~`|]/g, '\\$&')
      // Masked links and mentions/emoji tags, which would otherwise render instead of showing.
      .replace(/[[\]<]/g, '\\$&')
      // Block quotes, headings and lists, only at the start of a line.
      .replace(/^(\s*)([>#+-]|\d+\.(?=\s))/gmu, '$1\\$2')
  );
}

/** `text` escaped, with the `[start, end)` ranges in bold. */
export function highlight(text: string, ranges: readonly (readonly [number, number])[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start) continue;
    out += `${escape(text.slice(at, start))}**${escape(text.slice(start, end))}**`;
    at = end;
  }
  return out + escape(text.slice(at));
}

/** Every line of `text` (escaped) as a block quote. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${escape(line)}`)
    .join('\n');
}

/** One line, whitespace collapsed: for list entries and snippets. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** A title as a link when there is a URL (escaping covers brackets, which would end the link text). */
export function link(title: string, url: string | null): string {
  const text = escape(title);
  return url ? `[${text}](${url.replace(/\)/g, '%29')})` : text;
}

/** `oneLine(text)` with the `[start, end)` ranges of `text` in bold, escaped. */
export function highlightOneLine(text: string, ranges: readonly (readonly [number, number])[]): string {
  // Map each position of the original to its position once whitespace runs become one space.
  const at: number[] = [];
  let flat = '';
  for (let i = 0; i < text.length; i++) {
    at.push(flat.length);
    const ch = text[i] ?? '';
    if (/\s/u.test(ch)) {
      if (!flat.endsWith(' ')) flat += ' ';
    } else flat += ch;
  }
  at.push(flat.length);
  const lead = flat.length - flat.trimStart().length;
  const trimmed = flat.trim();
  const moved = ranges.map(([s, e]) => [Math.max((at[s] ?? 0) - lead, 0), Math.min((at[e] ?? 0) - lead, trimmed.length)] as const);
  return highlight(trimmed, moved);
}
