import { describe, expect, it } from 'vitest';
import { rougeF, rougeLsum, rougeN, rougeTokens } from '../bench/rouge.ts';
import { porterStem } from '../src/core/text/porter.ts';

describe('porterStem (NLTK variant, as rouge-score uses it)', () => {
  it('GIVEN the words of NLTK own stemmer doctest THEN gives the documented stems', () => {
    const words =
      'caresses flies dies mules denied died agreed owned humbled sized meeting stating siezing itemization sensational traditional reference colonizer plotted';
    expect(words.split(' ').map(porterStem).join(' ')).toBe(
      'caress fli die mule deni die agre own humbl size meet state siez item sensat tradit refer colon plot',
    );
  });

  it('GIVEN irregular and short words THEN follows NLTK: table lookups, two letters untouched', () => {
    expect(['skies', 'dying', 'news', 'is', 'generously', 'controlling', 'geology'].map(porterStem)).toEqual([
      'sky',
      'die',
      'news',
      'is',
      'gener',
      'control',
      'geolog',
    ]);
  });
});

describe('rougeTokens', () => {
  it('GIVEN mixed case and punctuation THEN lower-cases, splits on non-alphanumerics and stems words over 3 letters', () => {
    expect(rougeTokens("The cats' RUNNING, 3.5 km!")).toEqual(['the', 'cat', 'run', '3', '5', 'km']);
  });
});

describe('rougeN', () => {
  it('GIVEN "the cat sat" against "the cat" THEN R-1 has P=1, R=2/3, F=0.8', () => {
    const r = rougeN('the cat sat', 'the cat', 1);
    expect(r.precision).toBe(1);
    expect(r.recall).toBeCloseTo(2 / 3, 10);
    expect(r.f).toBeCloseTo(0.8, 10);
  });

  it('GIVEN target bigrams ab bc cd and prediction bigrams ab bd THEN R-2 has P=1/2, R=1/3, F=0.4', () => {
    const r = rougeN('a b c d', 'a b d', 2);
    expect(r.precision).toBeCloseTo(0.5, 10);
    expect(r.recall).toBeCloseTo(1 / 3, 10);
    expect(r.f).toBeCloseTo(0.4, 10);
  });

  it('GIVEN a repeated word THEN it counts at most as often as on the other side (clipped counts)', () => {
    const r = rougeN('go go go', 'go', 1);
    expect(r.precision).toBe(1);
    expect(r.recall).toBeCloseTo(1 / 3, 10);
  });

  it('GIVEN nothing in common or an empty side THEN 0', () => {
    expect(rougeN('alpha beta', 'gamma delta', 1).f).toBe(0);
    expect(rougeN('alpha beta', '', 1).f).toBe(0);
  });
});

describe('rougeLsum', () => {
  it('GIVEN the ROUGE paper example (ref w1..w5; candidates w1 w2 w6 w7 w8 / w1 w3 w8 w9 w5) THEN union LCS is 4: R=4/5, P=4/10', () => {
    const r = rougeLsum('w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5');
    expect(r.recall).toBeCloseTo(0.8, 10);
    expect(r.precision).toBeCloseTo(0.4, 10);
    expect(r.f).toBeCloseTo((2 * 0.8 * 0.4) / 1.2, 10);
  });

  it('GIVEN the same sentences on one line instead of two THEN the result differs (newlines are sentence boundaries)', () => {
    const twoLines = rougeLsum('a b c d e f', 'd e f\na b c').f;
    const oneLine = rougeLsum('a b c d e f', 'd e f a b c').f;
    expect(twoLines).toBe(1);
    expect(oneLine).toBeCloseTo(0.5, 10);
  });

  it('GIVEN a word matched by two candidate sentences THEN it is counted once (no double counting)', () => {
    const r = rougeLsum('a x', 'a\na');
    expect(r.recall).toBeCloseTo(0.5, 10);
    expect(r.precision).toBeCloseTo(0.5, 10);
  });
});

describe('rougeF', () => {
  it('GIVEN identical multi-sentence texts THEN all three F1 are 1', () => {
    const text = 'Police said the man was arrested.\nHe was released on bail.';
    expect(rougeF(text, text)).toEqual({ rouge1: 1, rouge2: 1, rougeLsum: 1 });
  });
});
