import { describe, expect, it } from 'vitest';
import { FILTER_BODY_CHARS, FILTER_TITLE_CHARS, FilterError, parseFilter } from '../src/app/delivery/filter.ts';
import { parseBackfill } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';

const nato = article({ title: 'Russia and NATO', text: 'The bloc’s expansion to the East.\n\nA café on the corner.' });

describe('GIVEN a keyword filter', () => {
  it('THEN plain words match whole words, any of the comma-separated ones, ignoring case and accents', () => {
    expect(parseFilter(null)(nato)).toBe(true);
    expect(parseFilter('nato')(nato)).toBe(true);
    expect(parseFilter('NAT')(nato)).toBe(false);
    expect(parseFilter('cafe')(nato)).toBe(true);
    expect(parseFilter('expansion to the east')(nato)).toBe(true);
    expect(parseFilter('china, russia')(nato)).toBe(true);
    expect(parseFilter('china, india')(nato)).toBe(false);
  });

  it('THEN /regex/flags is a regular expression on the title and each paragraph', () => {
    expect(parseFilter('/exp.*east/i')(nato)).toBe(true);
    expect(parseFilter('/^russia/')(nato)).toBe(false);
    expect(parseFilter('/^A caf/m')(nato)).toBe(true);
  });

  it('THEN the flags i, m, s and u mean what they mean in JavaScript', () => {
    const cafe = article({ title: 'Notes', text: 'CAFÉ society\nand its east wing' });
    expect(parseFilter('/café/')(cafe)).toBe(false);
    expect(parseFilter('/café/i')(cafe)).toBe(true);
    expect(parseFilter('/society.and/')(cafe)).toBe(false);
    expect(parseFilter('/society.and/s')(cafe)).toBe(true);
    expect(parseFilter('/^and/')(cafe)).toBe(false);
    expect(parseFilter('/^and/m')(cafe)).toBe(true);
    expect(parseFilter('/\\u00c9 soc/u')(cafe)).toBe(true);
  });

  it('THEN lookaround and backreferences, which RE2 cannot run in linear time, are refused naming the construct and where it is', () => {
    expect(() => parseFilter('/(?=nato)n/')).toThrow(/uses a lookahead "\(\?=" at character 1: filters run on RE2/);
    expect(() => parseFilter('/nato(?! treaty)/')).toThrow(/a negative lookahead "\(\?!" at character 5/);
    expect(() => parseFilter('/(?<=the )nato/')).toThrow(/a lookbehind "\(\?<=" at character 1/);
    expect(() => parseFilter('/(?<!the )nato/')).toThrow(/a negative lookbehind "\(\?<!"/);
    expect(() => parseFilter('/(na)to\\1/')).toThrow(/a backreference "\\1" at character 7.*no lookahead, lookbehind or backreferences/);
    expect(() => parseFilter('/(?<w>nato)\\k<w>/')).toThrow(/a named backreference "\\k<…>" at character 11/);
    expect(() => parseFilter('/(?<w>nato)\\k<w>/')).toThrow(FilterError);
    // The same characters escaped or inside a class are plain characters, and named groups are fine.
    expect(parseFilter('/[(?=]nato/')(article({ title: '=nato' }))).toBe(true);
    expect(parseFilter('/\\(?=nato/')(article({ title: '=nato' }))).toBe(true);
    expect(parseFilter('/(?<bloc>nato)/i')(nato)).toBe(true);
  });

  it('THEN broken patterns, unknown flags, oversized repeats and empty word lists are refused with the reason', () => {
    expect(() => parseFilter('/[/')).toThrow(/not a valid regular expression/);
    expect(() => parseFilter('/x/g')).toThrow(/unsupported flag "g" in "g": use i, m, s or u/);
    expect(() => parseFilter('/(?:\\p{L}|\\s){1,1000}\\d/u')).toThrow(/too large once its repeats are counted out \(2002 steps; at most 1000\)/);
    expect(() => parseFilter(`/${'a'.repeat(301)}/`)).toThrow(/301 characters long; at most 300/);
    expect(() => parseFilter(' , ;')).toThrow(/has no words/);
  });
});

describe('GIVEN patterns whose escapes JavaScript and RE2 read differently', () => {
  it('THEN escapes JavaScript reads as plain letters without `u` (and RE2 gives another meaning) are refused, with or without the u flag', () => {
    // Without `u` JavaScript reads \z as "z", \Q…\E as "Q…E", \C as "C", [[:alpha:]] as a class then "]"; RE2 reads end of text, a quote, any byte, a POSIX class.
    for (const pattern of ['/nato\\z/', '/\\Qa.b\\E/', '/a\\Cb/', '/[[:alpha:]]+/', '/nato\\z/i', '/[[:alpha:]]/u']) {
      expect(() => parseFilter(pattern), pattern).toThrow(FilterError);
      expect(() => parseFilter(pattern), pattern).toThrow(/not a valid regular expression/);
    }
  });

  it('THEN \\p{…} means a Unicode property whether or not `u` is written, as RE2 runs it', () => {
    const greek = article({ title: 'Ελλάδα', text: 'p{L}' });
    // JavaScript without `u` would read "p{L}" literally; the pattern runs as with `u`, a letter.
    expect(parseFilter('/^\\p{L}+$/')(article({ title: 'Ελλάδα' }))).toBe(true);
    expect(parseFilter('/^\\p{Lu}/')(greek)).toBe(true);
    expect(parseFilter('/^\\p{L}\\{/')(article({ title: '{' }))).toBe(false);
  });

  it('THEN \\s matches the no-break, thin and narrow no-break spaces news text is full of, as in JavaScript', () => {
    for (const space of ['\u00a0', '\u2009', '\u202f', '\u2002', '\u3000', '\u000b']) {
      const a = article({ title: `Summit in Paris`, text: `NATO${space}treaty signed on 10${space}June` });
      expect(parseFilter('/nato\\streaty/i')(a), JSON.stringify(space)).toBe(true);
      expect(parseFilter('/10\\s+june/i')(a), JSON.stringify(space)).toBe(true);
      expect(parseFilter('/nato\\Streaty/i')(a), JSON.stringify(space)).toBe(false);
      expect(parseFilter('/nato treaty/i')(a), JSON.stringify(space)).toBe(true);
    }
    // A line separator is a line break: `.` stops there and `^` starts after it with m, as in JavaScript.
    const lines = article({ title: 'Notes', text: 'first line\u2028second line' });
    expect(parseFilter('/first.second/')(lines)).toBe(false);
    expect(parseFilter('/^second/m')(lines)).toBe(true);
    expect(parseFilter('/line\\ssecond/')(lines)).toBe(true);
  });
});

describe('GIVEN a pattern that backtracks in JavaScript and a huge paragraph', () => {
  // 400 kB of "nato " with no "treaty": JavaScript's backtracking took 25 s on /nato.*treaty/.
  const huge = article({ title: 'A long one', text: 'nato '.repeat(80_000) });

  it('THEN it is accepted and answers in linear time: no pattern can stall a delivery run', () => {
    for (const pattern of ['/nato.*treaty/', '/(a+)+$/', '/a.*b.*c.*d/', '/(?:\\p{L}|\\s){1,400}\\d/u', '/(?:nato\\s?)+!/i']) {
      const filter = parseFilter(pattern);
      const started = performance.now();
      expect(filter(huge)).toBe(false);
      // Measured: 1 to 45 ms each on a shared machine; a generous bound that 25 s never meets.
      expect(performance.now() - started, pattern).toBeLessThan(1500);
    }
  });

  it('THEN a filter reads the title and the first 20,000 characters of the body, the same for words and patterns', () => {
    const at = (offset: number) => article({ title: 'Untitled', text: `${'x'.repeat(offset - 1)} NATO treaty signed\n\nlater` });
    for (const filter of [parseFilter('/nato.*treaty/i'), parseFilter('nato treaty')]) {
      expect(filter(at(FILTER_BODY_CHARS - 100))).toBe(true);
      expect(filter(at(FILTER_BODY_CHARS + 100))).toBe(false);
      expect(filter(article({ title: `${'x '.repeat(FILTER_TITLE_CHARS)}NATO treaty` }))).toBe(false);
    }
    // The cap counts over all paragraphs, not per paragraph.
    const split = article({ title: 'Untitled', text: `${'x'.repeat(FILTER_BODY_CHARS - 5)}\n\nNATO treaty` });
    expect(parseFilter('/nato treaty/i')(split)).toBe(false);
  });
});

describe('GIVEN a backfill setting', () => {
  it('THEN none, all and latest N are read, and anything else is refused', () => {
    expect(parseBackfill(undefined)).toEqual({ kind: 'none' });
    expect(parseBackfill('All')).toEqual({ kind: 'all' });
    expect(parseBackfill('latest 10')).toEqual({ kind: 'latest', count: 10 });
    expect(parseBackfill('latest 0')).toBeNull();
    expect(parseBackfill('some')).toBeNull();
  });
});
