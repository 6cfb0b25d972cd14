import { describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from '../src/delivery/filter.ts';
import { parseBackfill } from '../src/delivery/subscriptions.ts';
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

  it('THEN patterns that can backtrack catastrophically, and broken ones, are refused with the reason', () => {
    expect(() => parseFilter('/(a+)+$/')).toThrow(/backtrack catastrophically \(exponential\)/);
    expect(() => parseFilter('/(a|a)*b/')).toThrow(FilterError);
    expect(() => parseFilter('/a.*b.*c.*d/')).toThrow(/degree polynomial/);
    expect(() => parseFilter('/[/')).toThrow(/not a valid regular expression/);
    expect(() => parseFilter('/x/g')).toThrow(/unsupported flag/);
    expect(() => parseFilter(' , ;')).toThrow(/has no words/);
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
