import { describe, expect, it } from 'vitest';
import { isFurniture, isProse } from '../src/core/text/features.ts';

describe('GIVEN sentences from news pages', () => {
  it('THEN bylines, timestamps, separators and one-word exclamations are not prose', () => {
    for (const s of ['By.', 'Anthony Bond.', 'PUBLISHED:.', '10:48 EST, 2 April 2015.', '|.', 'Surprise!']) expect(isProse(s), s).toBe(false);
  });

  it('THEN ordinary reporting, short or not, is prose', () => {
    for (const s of ['Look at Abou Diaby.', 'Share prices fell sharply on Monday.', 'Россия и НАТО разрывают связи.']) {
      expect(isProse(s), s).toBe(true);
    }
  });

  it('THEN page boilerplate is furniture, and reporting is not', () => {
    expect(isFurniture('Scroll down for video Surprise!')).toBe(true);
    expect(isFurniture('READ MORE: The full story.')).toBe(true);
    expect(isFurniture('Share prices fell sharply on Monday.')).toBe(false);
    expect(isFurniture('NATO took a long time to come to this.')).toBe(false);
  });
});
