import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/core/text/sentences.ts';
import { samplePieces } from './text-sample.ts';

const texts = (input: string): string[] => splitSentences(input).map((s) => s.text);

describe('splitSentences on the sample', () => {
  const pieces = samplePieces().map((p) => p.text);

  it('GIVEN every paragraph of the sample THEN each sentence is exactly input.slice(start, end), in order, trimmed', () => {
    for (const p of pieces) {
      const found = splitSentences(p);
      expect(found.length).toBeGreaterThan(0);
      let last = 0;
      for (const s of found) {
        expect(s.text).toBe(p.slice(s.start, s.end));
        expect(s.text).toBe(s.text.trim());
        expect(s.start).toBeGreaterThanOrEqual(last);
        last = s.end;
      }
    }
  });

  it('GIVEN the "NATO and the USSR" section paragraph THEN six sentences, the quoted words kept inside', () => {
    const p = pieces.find((x) => x.startsWith('To be honest')) ?? '';
    const found = texts(p);
    expect(found).toHaveLength(6);
    expect(found[3]).toMatch(/^Since its founding in 1949, NATO has set as its real goals the containment of the "eastern threat"/);
  });

  it('GIVEN a sentence ending in a closing quote THEN the quote stays with it', () => {
    const p = pieces.find((x) => x.startsWith('For example, the establishment')) ?? '';
    expect(texts(p)[1]).toMatch(/"strengthen security in the entire Euro-Atlantic region\."$/);
  });

  it('GIVEN the quotation without end punctuation THEN it is one sentence per statement and the last runs to the end', () => {
    const p = pieces.find((x) => x.startsWith('We are suspending')) ?? '';
    expect(texts(p)).toEqual([
      'We are suspending the activities of the NATO military liaison mission in Moscow.',
      'The accreditation of its employees is revoked from November 1',
    ]);
  });

  it('GIVEN "In 2004 - Slovakia, ..." THEN a dash inside a sentence does not split it', () => {
    const p = pieces.find((x) => x.startsWith('As a result, over the next years')) ?? '';
    expect(texts(p)).toContain('In 2004 - Slovakia, Slovenia, Bulgaria, Romania, as well as Latvia, Lithuania and Estonia.');
  });
});

describe('splitSentences hard cases', () => {
  const cases: [string, string, string[]][] = [
    [
      'titles',
      'Mr. Smith met Dr. Jones and Gen. Petraeus. Sen. Warren and Gov. Newsom left.',
      ['Mr. Smith met Dr. Jones and Gen. Petraeus.', 'Sen. Warren and Gov. Newsom left.'],
    ],
    ['acronyms', 'The U.S. Senate and the U.K. government agreed. They signed.', ['The U.S. Senate and the U.K. government agreed.', 'They signed.']],
    ['acronym at the end', 'He moved to the U.S. He never came back.', ['He moved to the U.S.', 'He never came back.']],
    [
      'numbers',
      'It was No. 5 on the list. Prices rose 3.5 percent on Jan. 12 this year.',
      ['It was No. 5 on the list.', 'Prices rose 3.5 percent on Jan. 12 this year.'],
    ],
    [
      'e.g. / i.e. / etc.',
      'Bring fruit, e.g. Apples or pears, i.e. Anything fresh. Also bread, milk, etc. Then go.',
      ['Bring fruit, e.g. Apples or pears, i.e. Anything fresh.', 'Also bread, milk, etc.', 'Then go.'],
    ],
    ['initials', 'J. K. Rowling wrote it. George W. Bush read it.', ['J. K. Rowling wrote it.', 'George W. Bush read it.']],
    ['time with a space', 'Posted 20 October 2021 10: 12. It was cold.', ['Posted 20 October 2021 10: 12.', 'It was cold.']],
    [
      'ellipsis before lower case',
      'Yes ... if only ... it were so. Wait… what happened? Nothing.',
      ['Yes ... if only ... it were so.', 'Wait… what happened?', 'Nothing.'],
    ],
    [
      'ellipsis before a capital',
      'He paused... Then he spoke. It ended…  Silence followed.',
      ['He paused...', 'Then he spoke.', 'It ended…', 'Silence followed.'],
    ],
    ['closing quote', 'He said "go." Then he left. She asked "why?" and stayed.', ['He said "go."', 'Then he left.', 'She asked "why?" and stayed.']],
    ['brackets', 'The rule applies (see below.) Then it ends. (A note.) Done.', ['The rule applies (see below.)', 'Then it ends.', '(A note.)', 'Done.']],
    ['?! and !!!', 'Really?! Yes!!! Are you sure??? Of course.', ['Really?!', 'Yes!!!', 'Are you sure???', 'Of course.']],
    [
      'dialogue dashes',
      '- Yes ... - Nothing of the kind ... - and then more ... - That is all.',
      ['- Yes ...', '- Nothing of the kind ... - and then more ...', '- That is all.'],
    ],
    ['lines starting with a dash', 'He wrote:\n- first point\n- second point', ['He wrote:', '- first point', '- second point']],
    ['numbered list', 'Steps:\n1. Open the box\n2. Take it out', ['Steps:', '1. Open the box', '2. Take it out']],
    [
      'urls and e-mails',
      'See https://example.com/a.b?c=d.e for details. Write to john.smith@mail.example.org. Thanks.',
      ['See https://example.com/a.b?c=d.e for details.', 'Write to john.smith@mail.example.org.', 'Thanks.'],
    ],
    [
      'Russian',
      'Это было в 1949 г. НАТО тогда возникло. Т.е. давно. Вопрос, т.е. главный, остался! Что дальше?',
      ['Это было в 1949 г. НАТО тогда возникло.', 'Т.е. давно.', 'Вопрос, т.е. главный, остался!', 'Что дальше?'],
    ],
    ['Russian initials and т.д.', 'А. С. Пушкин писал стихи, прозу и т.д. Потом он умер.', ['А. С. Пушкин писал стихи, прозу и т.д.', 'Потом он умер.']],
    ['Chinese', '我们走吧。他说好！然后呢？', ['我们走吧。', '他说好！', '然后呢？']],
    ['no terminator', 'NATO and the USSR', ['NATO and the USSR']],
    ['empty', '   ', []],
  ];

  for (const [name, input, expected] of cases) {
    it(`GIVEN ${name} THEN splits as a reader would`, () => {
      expect(texts(input)).toEqual(expected);
    });
  }

  it('GIVEN leading and trailing spaces THEN offsets still point into the input', () => {
    const input = '  One here.   Two there.  ';
    const found = splitSentences(input);
    expect(found.map((s) => [s.start, s.end])).toEqual([
      [2, 11],
      [14, 24],
    ]);
  });
});
