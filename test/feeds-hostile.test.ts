/**
 * Feeds built to make a parser backtrack (issue 13, point 8): each verdict comes back, and in time
 * proportional to the size. The check these replace took 42 s on the first input at 1.6 MB.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/core/errors.ts';
import { parseFeed, rootElement } from '../src/adapters/feeds/parse.ts';
import { endsWithClosedRoot, htmlTitle, prologEnd } from '../src/adapters/feeds/xml-edges.ts';
import { millis } from './helpers/timing.ts';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title><link>https://e.example/a</link></item></channel></rss>';

function parseError(text: string): string {
  try {
    parseFeed(text, { file: 'hostile.rss' });
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
  return 'parsed';
}

describe('GIVEN a feed that repeats "</rss><!--" for 1.6 MB', () => {
  const hostile = FEED + '</rss><!--'.repeat(160_000);

  it('THEN it is called truncated, in time linear in its size (not the 42 s of the old check)', () => {
    expect(hostile.length).toBeGreaterThan(1_600_000);
    expect(parseError(hostile)).toMatch(/^hostile\.rss:\d+: expected the document to end with <\/rss>; it stops at ".*<!--" \(truncated\?\)$/);
    const small = FEED + '</rss><!--'.repeat(10_000);
    const tSmall = millis(() => parseError(small));
    const tLarge = millis(() => parseError(hostile));
    // 16 times the input: linear time is about 16 times as long, quadratic 256 times. The
    // absolute bound is far below the old 42 s and far above what a linear scan needs.
    expect(tLarge).toBeLessThan(Math.max(60 * tSmall, 50));
    expect(tLarge).toBeLessThan(2_000);
  });

  it('THEN the same text closed by a final "-->" is a document whose root is closed, found as fast', () => {
    const closed = `${hostile}-->`;
    let verdict = false;
    expect(millis(() => (verdict = endsWithClosedRoot(closed, 'rss')))).toBeLessThan(500);
    expect(verdict).toBe(true);
  });
});

describe('GIVEN the ends of a document', () => {
  it('THEN the closed-root check gives the verdicts of the regular expression it replaces', () => {
    const old = (text: string): boolean => new RegExp('</rss\\s*>(?:\\s|<!--[\\s\\S]*?-->)*$').test(text);
    const samples = [
      FEED,
      `${FEED}\n`,
      `${FEED}  <!-- cached 12:00 -->\n<!-- again -->  `,
      FEED.replace('</rss>', '</rss  \n>'),
      FEED.replace('</rss>', '</rs'),
      `${FEED}<!-- unterminated`,
      `${FEED}<!-->`,
      `${FEED}<!---->`,
      `${FEED} junk`,
      `${FEED}<!-- a --> junk <!-- b -->`,
      `<rss></rssx>`,
      `</rss>`,
      `-->`,
      '',
      `${FEED}\u00a0\u2028`,
    ];
    for (const text of samples) expect(endsWithClosedRoot(text, 'rss'), JSON.stringify(text.slice(-40))).toBe(old(text));
  });

  it('THEN the prolog is skipped whole, and an unterminated part of it leaves no root to find', () => {
    expect(rootElement('\uFEFF'.slice(1) + '<?xml version="1.0"?>\n<!-- c --><!DOCTYPE rss [<!ENTITY x "<y>">]>\n<rss/>')).toBe('rss');
    expect(rootElement('<!doctype rdf:RDF><rdf:RDF/>')).toBe('rdf:RDF');
    expect(rootElement('<?xml version="1.0"')).toBeNull();
    expect(rootElement('<!-- never closed <rss>')).toBeNull();
    expect(rootElement('<!DOCTYPE rss [ <rss>')).toBeNull();
    const hostile = '<!DOCTYPE rss ' + '['.repeat(500_000);
    expect(millis(() => prologEnd(hostile))).toBeLessThan(500);
  });

  it('THEN an HTML page repeating "<title" is named as an HTML page at once', () => {
    const page = `<!doctype html><html><head>${'<title'.repeat(300_000)}`;
    let message = '';
    expect(millis(() => (message = parseError(page)))).toBeLessThan(1_000);
    expect(message).toBe('hostile.rss: expected a feed (RSS, Atom or JSON Feed), got an HTML page');
    expect(htmlTitle('<html><head><TITLE lang="en">Welcome</title>')).toBe('Welcome');
    expect(parseError('<!DOCTYPE html><html><title>Front page</title></html>')).toBe(
      'hostile.rss: expected a feed (RSS, Atom or JSON Feed), got an HTML page ("Front page")',
    );
  });
});
