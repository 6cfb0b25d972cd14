import { describe, expect, it } from 'vitest';
import { CUT_MARK, truncate } from '../src/core/text/truncate.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';

describe('GIVEN text and a limit', () => {
  it('THEN text that fits comes back untouched', () => {
    expect(truncate('Short.', 10)).toEqual({ text: 'Short.', truncated: false });
    expect(truncate('x'.repeat(2000), LIMITS.messageContent).truncated).toBe(false);
  });

  it('THEN longer text is cut after its last whole sentence that fits, and says so', () => {
    const text = 'The first sentence is here. The second one is also here. The third runs on and on and on.';
    const r = truncate(text, 70);
    expect(r).toEqual({ text: `The first sentence is here. The second one is also here.${CUT_MARK}`, truncated: true });
    expect(r.text.length).toBeLessThanOrEqual(70);
  });

  it('THEN with no sentence end late enough it cuts at a word', () => {
    const r = truncate('One sentence. Then a very long run of words without any end in sight at all', 60);
    expect(r.text).toBe(`One sentence. Then a very long run of words without any${CUT_MARK}`);
    expect(r.text.length).toBeLessThanOrEqual(60);
  });

  it('THEN a single endless word is cut hard, never past the limit', () => {
    const r = truncate('a'.repeat(5000), LIMITS.embedDescription);
    expect(r.text.length).toBe(LIMITS.embedDescription);
    expect(r.text.slice(-CUT_MARK.length)).toBe(CUT_MARK);
  });

  it('THEN emoji and Cyrillic are never split in half', () => {
    const r = truncate(`${'🦭'.repeat(30)}`, 21);
    expect(r.text.length).toBeLessThanOrEqual(21);
    expect(r.text).toBe(`${'🦭'.repeat(8)}${CUT_MARK}`);
    expect(truncate('Россия и НАТО разрывают связи. Это второе предложение, длинное.', 40).text).toBe(`Россия и НАТО разрывают связи.${CUT_MARK}`);
  });

  it('THEN closing quotes stay with their sentence, and a bad limit is named', () => {
    expect(truncate('He said "go." Then he left the building quietly and slowly.', 22).text).toBe(`He said "go."${CUT_MARK}`);
    expect(() => truncate('x', 0)).toThrow('truncate: expected `max` to be a whole number from 1 up, got `0`');
  });
});
