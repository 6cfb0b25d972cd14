/**
 * Regular expressions over outside text rewritten as linear scans (issue 13, point 8): each gives
 * the verdicts of the pattern it replaces, on inputs where that pattern took seconds.
 */
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../src/adapters/feeds/dates.ts';
import { htmlToBlocks } from '../src/adapters/feeds/html.ts';
import { escape } from '../src/app/views/markdown.ts';
import { millis } from './helpers/timing.ts';

/** The line-start escapes as they were written before (quadratic over runs of blank lines). */
function oldLineStarts(text: string): string {
  return text.replace(/^(\s*)([>#+-])/gmu, '$1\\$2').replace(/^(\s*\d+)\.(?=\s)/gmu, '$1\\.');
}

describe('GIVEN text escaped for Discord', () => {
  it('THEN quotes, headings and list marks at a line start are escaped exactly as before', () => {
    // No character escapeInline touches, so escape() is the line-start pass alone.
    const alphabet = [' ', '\n', '\r', '\t', '\u2028', '\u00a0', '>', '#', '+', '-', '1', '23', '.', 'a', 'b c'];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let k = 0; k < 3_000; k++) {
      const text = Array.from({ length: 1 + random(12) }, () => alphabet[random(alphabet.length)]).join('');
      expect(escape(text), JSON.stringify(text)).toBe(oldLineStarts(text));
    }
    expect(escape('> quoted\n  # heading\n\n- item\n12. twelfth\nplain - text')).toBe('\\> quoted\n  \\# heading\n\n\\- item\n12\\. twelfth\nplain - text');
  });

  it('THEN 40,000 blank lines before a word take milliseconds, not the 6 s of the old patterns', () => {
    const text = `${'\n'.repeat(40_000)}word\n> quote`;
    let out = '';
    expect(millis(() => (out = escape(text)))).toBeLessThan(500);
    expect(out).toBe(`${'\n'.repeat(40_000)}word\n\\> quote`);
  });
});

describe('GIVEN a feed link whose text is a long run of slashes', () => {
  it('THEN the link is written out at once, as before', () => {
    const text = `${'/'.repeat(60_000)}x`;
    let blocks: ReturnType<typeof htmlToBlocks> = [];
    expect(millis(() => (blocks = htmlToBlocks(`<p><a href="https://e.example/a">${text}</a></p>`)))).toBeLessThan(500);
    expect(blocks).toEqual([{ type: 'paragraph', text: `${text} (https://e.example/a)` }]);
    // A link whose text is its address, trailing slashes aside, gets no suffix.
    expect(htmlToBlocks('<p><a href="https://www.e.example/a/">e.example/a///</a></p>')).toEqual([{ type: 'paragraph', text: 'e.example/a///' }]);
  });
});

describe('GIVEN a feed date of a megabyte', () => {
  it('THEN it is no date, found at once, and real dates still read', () => {
    const long = `Thu, 12 Nov 2015 21:16:39 ${'(note) '.repeat(150_000)}`;
    let parsed: string | null = 'unset';
    expect(millis(() => (parsed = parseFeedDate(long)))).toBeLessThan(500);
    expect(parsed).toBeNull();
    expect(parseFeedDate('Thu, 12 Nov 2015 21:16:39 +0000')).toBe('2015-11-12T21:16:39Z');
  });
});
