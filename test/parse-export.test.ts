import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/core/errors.ts';
import { Article, articleId, bodyText, commentText } from '../src/core/model.ts';
import type { Article as ArticleType } from '../src/core/model.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';
import type { ParseOptions, ParseResult } from '../src/adapters/sources/parse.ts';

const SAMPLE = readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8');
const SAMPLE_LINES = SAMPLE.split('\n');
const NOW = new Date('2024-05-01T12:00:00.000Z');
const TITLE = 'Russia and NATO are severing ties: who is to blame and what to do?';

/** The sample's body, cut by hand: the lines after the title's comment count up to `4 comments`. */
const BODY_LINES = SAMPLE_LINES.slice(SAMPLE_LINES.indexOf('4') + 1, SAMPLE_LINES.indexOf('4 comments'));
const BODY = BODY_LINES.join('\n');
const COMMENT_SECTION = SAMPLE_LINES.slice(SAMPLE_LINES.indexOf('4 comments')).join('\n');

function parse(text: string | Buffer, file = 'a.txt', options: ParseOptions = { now: NOW }): ParseResult {
  return parseSource(file, text, options);
}

function only(result: ParseResult): ArticleType {
  expect(result.articles).toHaveLength(1);
  const [article] = result.articles;
  if (!article) throw new Error('no article');
  return article;
}

function parseError(text: string, file = 'a.txt'): ParseError {
  try {
    parse(text, file);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

/** 1-based number of the first line of `text` equal to `line`. */
function lineNo(text: string, line: string): number {
  const i = text.split('\n').indexOf(line);
  if (i < 0) throw new Error(`no line ${line}`);
  return i + 1;
}

describe('GIVEN the sample export', () => {
  const result = parse(SAMPLE, 'sample.txt', { now: NOW, source: 'topwar.ru' });
  const article = only(result);

  it('THEN it is a valid Article with the title, declared count and no invented metadata', () => {
    expect(Article.parse(article)).toEqual(article);
    expect(article.title).toBe(TITLE);
    expect(article.declaredCommentCount).toBe(4);
    expect(article).toMatchObject({ url: null, author: null, publishedAt: null, language: null, source: 'topwar.ru' });
    expect(article.id).toBe(articleId({ url: null, source: 'topwar.ru', title: TITLE }));
    expect(article.ingestedAt).toBe('2024-05-01T12:00:00.000Z');
    expect(result.warnings).toEqual([]);
  });

  it('THEN exactly the four section titles are headings', () => {
    expect(article.body.filter((b) => b.type === 'heading').map((b) => b.text)).toEqual([
      'NATO and the USSR',
      "NATO and Russia: the bloc's expansion to the East",
      'The future of Russia-NATO relations',
      'What should Russia do?',
    ]);
  });

  it('THEN the two quotations carry their attributions verbatim, dash included', () => {
    const quotes = article.body.filter((b) => b.type === 'quote');
    expect(quotes.map((q) => [q.text.slice(0, 40), q.attribution?.slice(0, 30)])).toEqual([
      ['We are suspending the activities of the ', '- Lavrov emphasized, separatel'],
      ['We note the growing activity of Russia, ', '- all that Stoltenberg managed'],
    ]);
  });

  it('THEN every body line appears verbatim as a line of a block, and nothing else does', () => {
    const blockLines = article.body.flatMap((b) => [...b.text.split('\n'), ...(b.type === 'quote' && b.attribution ? b.attribution.split('\n') : [])]);
    const sourceLines = BODY_LINES.filter((l) => l.trim() !== '');
    expect(blockLines).toEqual(sourceLines);
    // The attribution kept as written makes the body text the file's text, paragraph for paragraph.
    expect(bodyText(article)).toBe(sourceLines.join('\n\n'));
  });

  it('THEN none of the page furniture is anywhere in the article', () => {
    const strings = JSON.stringify(article);
    expect(strings).not.toContain('Dear reader');
    expect(strings).not.toContain('"Information"');
    expect(strings).not.toContain('4 comments');
  });

  it('THEN the four comments have their numbers, ratings and local dates', () => {
    expect(article.comments.map((c) => [c.id, c.number, c.rating, c.postedAt])).toEqual([
      ['n1', 1, -1, '2021-10-20T10:12'],
      ['n2', 2, 0, '2021-10-20T11:19'],
      ['n3', 3, 0, '2021-10-20T13:54'],
      ['n4', 4, 0, '2021-10-24T17:51'],
    ]);
    for (const c of article.comments) expect(c).toMatchObject({ author: null, authorId: null, replyTo: null });
  });

  it('THEN comment text is verbatim: blank lines split paragraphs, reply lines stay lines of one paragraph', () => {
    const [first, , , fourth] = article.comments;
    expect(first?.paragraphs).toHaveLength(4);
    const replies = first?.paragraphs[3]?.split('\n') ?? [];
    expect(replies).toHaveLength(6);
    expect(replies.filter((l) => !l.startsWith('- '))).toEqual([]);
    expect(fourth?.paragraphs).toHaveLength(1);
    expect(fourth?.paragraphs[0]?.split('\n')[1]).toMatch(/^As you know, war is a continuation of politics/);
    // Dedented by the text's indentation, the comment section holds exactly the comments' text.
    const dedented = COMMENT_SECTION.split('\n')
      .map((l) => l.replace(/^ {4}/, ''))
      .join('\n');
    for (const c of article.comments) expect(dedented).toContain(commentText(c));
  });

  it("THEN comment 1's reworded sentence and truncated paragraph link to the article blocks they quote", () => {
    const blockStarting = (prefix: string): number => article.body.findIndex((b) => b.text.startsWith(prefix));
    expect(article.comments[0]?.quotes).toEqual([
      { paragraph: 0, block: blockStarting('The future of relations between Russia and NATO today') },
      { paragraph: 2, block: blockStarting('NATO is now on the verge of collapsing in Europe') },
    ]);
    expect(article.comments.slice(1).map((c) => c.quotes)).toEqual([[], [], []]);
  });
});

describe('GIVEN the sample with different encodings', () => {
  const expected = only(parse(SAMPLE));

  it('WHEN lines end in CRLF THEN the article is the same', () => {
    expect(only(parse(SAMPLE.replace(/\n/g, '\r\n')))).toEqual(expected);
  });

  it('WHEN it starts with a UTF-8 byte-order mark THEN the mark is not part of the title', () => {
    expect(only(parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)])))).toEqual(expected);
    expect(only(parse(`\uFEFF${SAMPLE}`)).title).toBe(TITLE);
  });

  it('WHEN the bytes are not UTF-8 THEN it is a ParseError, not mojibake', () => {
    expect(() => parse(Buffer.from([0x54, 0xff, 0x0a]))).toThrow(/a\.txt: expected UTF-8 text/);
  });
});

describe('GIVEN exports with unusual comment sections', () => {
  it('WHEN there is no comments section THEN comments are empty and the declared count is kept, with a warning', () => {
    const result = parse(`${TITLE}\n\n4\n${BODY}`);
    const article = only(result);
    expect(article.comments).toEqual([]);
    expect(article.declaredCommentCount).toBe(4);
    expect(article.body).toEqual(only(parse(SAMPLE)).body);
    expect(result.warnings).toEqual(['a.txt: declared 4 comments, found 0']);
  });

  it('WHEN there is neither a count nor comments THEN the declared count is null, and the missing markers are reported', () => {
    const result = parse(`${TITLE}\n${BODY}\n`);
    expect(only(result).declaredCommentCount).toBeNull();
    expect(only(result).comments).toEqual([]);
    // A stray README.txt would look the same, so the operator hears of it.
    expect(result.warnings).toEqual(['a.txt: no comment count and no "N comments" line; read as an article page export without comments']);
  });

  it('WHEN the page says "0 comments" THEN the declared count is 0', () => {
    const result = parse(`${TITLE}\n${BODY}\n0 comments\nInformation\nDear reader, to leave comments on the publication, you must sign in.\n`);
    expect(only(result)).toMatchObject({ declaredCommentCount: 0, comments: [] });
    expect(result.warnings).toEqual([]);
  });

  it('WHEN a comment has no text THEN its paragraphs are empty', () => {
    const text = SAMPLE.replace(/( {2}2\. 0\n {4}20 October 2021 11: 19\n)[^\n]*\n/, '$1');
    const article = only(parse(text));
    expect(article.comments[1]).toMatchObject({ id: 'n2', postedAt: '2021-10-20T11:19', paragraphs: [], quotes: [] });
    expect(article.comments[2]?.paragraphs[0]).toMatch(/^If this fundamental act/);
  });

  it('WHEN the declared count differs from the comments found THEN it is kept as declared, with warnings', () => {
    const text = SAMPLE.replace('\n4\n', '\n5\n');
    const result = parse(text);
    expect(only(result).declaredCommentCount).toBe(5);
    expect(only(result).comments).toHaveLength(4);
    expect(result.warnings).toEqual([
      `a.txt:${lineNo(text, '4 comments')}: "4 comments" disagrees with the count 5 under the title; keeping 5`,
      'a.txt: declared 5 comments, found 4',
    ]);
  });

  it('WHEN an unknown unindented line sits among the comments THEN it is reported and kept out of the article', () => {
    const text = SAMPLE.replace('  3. 0\n', 'Show more replies\n  3. 0\n');
    const result = parse(text);
    expect(result.warnings).toEqual([
      `a.txt:${lineNo(text, 'Show more replies')}: skipped an unindented line that is neither a comment nor known page furniture: "Show more replies"`,
    ]);
    expect(JSON.stringify(only(result))).not.toContain('Show more');
  });

  it('WHEN the "N comments" line is missing THEN the comments are still comments, with a warning', () => {
    const text = SAMPLE.replace('4 comments\nInformation\nDear reader, to leave comments on the publication, you must sign in.\n', '');
    const result = parse(text);
    expect(only(result).comments).toEqual(only(parse(SAMPLE)).comments);
    expect(only(result).body).toEqual(only(parse(SAMPLE)).body);
    expect(result.warnings).toEqual([`a.txt:${lineNo(text, '  1. -1')}: comments start without a "N comments" line before them`]);
  });

  it('WHEN a comment line looks like a header but is indented as text THEN it stays text', () => {
    const text = SAMPLE.replace('    And NATO would not go to hell!', '    1. 5\n    And NATO would not go to hell!');
    const article = only(parse(text));
    expect(article.comments).toHaveLength(4);
    expect(article.comments[1]?.paragraphs[0]).toMatch(/^1\. 5\nAnd NATO would not go to hell!/);
  });

  it('WHEN a reader pastes another header and its date, indented as text THEN they stay text', () => {
    const text = SAMPLE.replace('    And NATO would not go to hell!', '    7. 3\n    21 October 2021 09: 00\n    And NATO would not go to hell!');
    const article = only(parse(text));
    expect(article.comments.map((c) => c.number)).toEqual([1, 2, 3, 4]);
    expect(article.comments[1]?.paragraphs[0]).toMatch(/^7\. 3\n21 October 2021 09: 00\nAnd NATO would not go to hell!/);
  });

  it('WHEN a comment line is indented deeper than its text THEN the extra indentation is kept', () => {
    const text = SAMPLE.replace('    And NATO would not go to hell!', '      And NATO would not go to hell!');
    expect(only(parse(text)).comments[1]?.paragraphs[0]).toMatch(/^ {2}And NATO would not go to hell!/);
  });

  it('WHEN a rating uses a typographic minus THEN it is still a negative number', () => {
    expect(only(parse(SAMPLE.replace('  1. -1', '  1. −12'))).comments[0]?.rating).toBe(-12);
  });
});

describe('GIVEN malformed exports', () => {
  it('WHEN the file is empty or blank THEN it is a ParseError naming the file', () => {
    expect(() => parse('')).toThrow('a.txt: expected a non-empty file');
    expect(() => parse(' \n\r\n\t\n')).toThrow('a.txt: expected a non-empty file');
  });

  it('WHEN the first line is the comments line THEN the title is missing', () => {
    const error = parseError(`\n4 comments\n  1. 0\n    20 October 2021 10: 12\n    Hi.\n`);
    expect(error.line).toBe(2);
    expect(error.message).toBe('a.txt:2: expected a title on the first non-empty line, got "4 comments"');
  });

  it('WHEN a comment header has no dot THEN the error names file and line', () => {
    const text = SAMPLE.replace('  3. 0', '  3 0');
    const error = parseError(text);
    expect(error.line).toBe(lineNo(text, '  3 0'));
    expect(error.message).toBe(`a.txt:${error.line}: expected a comment header like "  1. -1" (number, then rating), got "3 0"`);
  });

  it('WHEN a rating is not a number THEN it is a malformed header', () => {
    const text = SAMPLE.replace('  2. 0', '  2. +-');
    expect(parseError(text).line).toBe(lineNo(text, '  2. +-'));
  });

  it('WHEN a comment date has an unknown month or an impossible day THEN the error names the date line', () => {
    for (const bad of ['20 Octember 2021 13: 54', '31 September 2021 13: 54', '20 October 2021 25: 54', '']) {
      const text = SAMPLE.replace('    20 October 2021 13: 54', `    ${bad}`);
      const error = parseError(text);
      expect(error.line).toBe(lineNo(text, '  3. 0') + 1);
      expect(error.message).toContain('expected a date like "20 October 2021 10: 12" after the header of comment 3');
    }
  });

  it('WHEN two comments have the same number THEN ids would collide, so it is an error', () => {
    const text = SAMPLE.replace('  3. 0', '  2. 0');
    expect(parseError(text).message).toBe(
      `a.txt:${lineNo(text, '  2. 0') + 3}: expected a unique comment number, got 2 again (first on line ${lineNo(text, '  2. 0')})`,
    );
  });

  it('WHEN the extension is not one Paperboy reads THEN the error lists the supported ones', () => {
    expect(() => parseSource('notes.md', SAMPLE)).toThrow('notes.md: expected a file ending in .txt, .json, .jsonl, .rss, .atom, .rdf or .xml, got ".md"');
    expect(() => parseSource('README', SAMPLE)).toThrow('README: expected a file ending in .txt, .json, .jsonl, .rss, .atom, .rdf or .xml, got no extension');
    expect(only(parseSource('UPPER.TXT', SAMPLE)).title).toBe(TITLE);
  });
});

describe('GIVEN body paragraphs that resemble headings', () => {
  it('WHEN a one-line question has ordinary spacing THEN it is a paragraph; with heading spacing a heading', () => {
    const text = `Title\n\nFirst paragraph.\n\nOr vice versa?\n\nMore text.\n\n\nWhat next?\n\n\nThe end.\n`;
    expect(only(parse(text)).body.map((b) => [b.type, b.text])).toEqual([
      ['paragraph', 'First paragraph.'],
      ['paragraph', 'Or vice versa?'],
      ['paragraph', 'More text.'],
      ['heading', 'What next?'],
      ['paragraph', 'The end.'],
    ]);
  });

  it('WHEN a short unpunctuated line ends the body or spans lines THEN it is a paragraph', () => {
    const text = `Title\n\nIntro.\n\nTwo short\nlines\n\nText.\n\nIvan Petrov\n`;
    expect(only(parse(text)).body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph']);
  });
});

describe('GIVEN a Cyrillic export', () => {
  const text = [
    'Россия и НАТО разрывают связи: кто виноват и что делать?',
    '',
    '2',
    '',
    'Глава МИД России объявил о приостановке работы военной миссии связи НАТО в Москве.',
    '',
    'Мы приостанавливаем деятельность военной миссии связи НАТО в Москве',
    '',
    '— подчеркнул Лавров.',
    '',
    'НАТО и СССР',
    '',
    '',
    'Североатлантический альянс с самого начала создавался для противостояния Москве и сдерживания восточной угрозы.',
    '2 комментария',
    'Информация',
    'Уважаемый читатель, чтобы оставлять комментарии к публикации, необходимо авторизоваться.',
    '  1. 3',
    '    20 октября 2021 10: 12',
    '    Альянс с самого начала создавался для противостояния Москве и сдерживания восточной угрозы',
    '',
    '    - Именно так.',
    '  2. -2',
    '    1 ноября 2021 9: 05',
    '    Не согласен с автором.',
  ].join('\n');
  const result = parse(text);
  const article = only(result);

  it('THEN title, heading, quote and furniture are recognised as in English', () => {
    expect(result.warnings).toEqual([]);
    expect(article.title).toBe('Россия и НАТО разрывают связи: кто виноват и что делать?');
    expect(article.declaredCommentCount).toBe(2);
    expect(article.body.map((b) => b.type)).toEqual(['paragraph', 'quote', 'heading', 'paragraph']);
    expect(article.body[1]).toEqual({
      type: 'quote',
      text: 'Мы приостанавливаем деятельность военной миссии связи НАТО в Москве',
      attribution: '— подчеркнул Лавров.',
    });
    expect(article.body[2]?.text).toBe('НАТО и СССР');
  });

  it('THEN Russian month names give dates, and the quoting paragraph links to its block', () => {
    expect(article.comments.map((c) => [c.rating, c.postedAt])).toEqual([
      [3, '2021-10-20T10:12'],
      [-2, '2021-11-01T09:05'],
    ]);
    expect(article.comments[0]?.quotes).toEqual([{ paragraph: 0, block: 3 }]);
    expect(article.comments[1]?.quotes).toEqual([]);
  });
});

describe('GIVEN an article 100 times the sample body', () => {
  const text = `${TITLE}\n\n4\n${Array.from({ length: 100 }, () => BODY).join('\n')}\n${COMMENT_SECTION}`;

  // Speed is measured by `npm run bench`, not asserted here: timings on a shared machine are noise.
  it('THEN it parses correctly', () => {
    const article = only(parse(text));
    const single = only(parse(SAMPLE));
    expect(article.body).toHaveLength(single.body.length * 100);
    expect(article.body.filter((b) => b.type === 'heading')).toHaveLength(400);
    expect(article.body.filter((b) => b.type === 'quote')).toHaveLength(200);
    // A passage repeated 100 times is quoted from its first occurrence.
    expect(article.comments.map((c) => c.quotes)).toEqual(single.comments.map((c) => c.quotes));
  });
});
