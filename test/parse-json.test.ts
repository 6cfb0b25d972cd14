import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/core/errors.ts';
import { Article, articleId } from '../src/core/model.ts';
import type { Article as ArticleType } from '../src/core/model.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';
import { firstInvalidUtf8 } from '../src/adapters/sources/utf8.ts';
import type { ParseOptions, ParseResult } from '../src/adapters/sources/parse.ts';

const SAMPLE = readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8');
const NOW = new Date('2024-05-01T12:00:00.000Z');

function parse(json: string | Buffer, options: ParseOptions = { now: NOW }): ParseResult {
  return parseSource('in.json', json, options);
}

function parseError(json: string): ParseError {
  try {
    parse(json);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

/** 1-based number of the first line of `json` that contains `fragment`. */
function lineWith(json: string, fragment: string): number {
  const i = json.split('\n').findIndex((l) => l.includes(fragment));
  if (i < 0) throw new Error(`no line contains ${fragment}`);
  return i + 1;
}

const sampleArticle = parseSource('sample.txt', SAMPLE, { now: NOW }).articles[0];
if (!sampleArticle) throw new Error('the sample did not parse');

const fullArticle: ArticleType = {
  id: articleId({ url: 'https://example.org/news/1', source: 'Example', title: 'A full article' }),
  title: 'A full article',
  url: 'https://example.org/news/1',
  source: 'Example',
  author: 'Jane Doe',
  publishedAt: '2021-10-19T08:00:00+03:00',
  language: 'en',
  body: [
    { type: 'heading', text: 'Start' },
    { type: 'paragraph', text: 'The first paragraph says something worth quoting at length here.' },
    { type: 'quote', text: 'A quotation.', attribution: null },
  ],
  comments: [
    {
      id: '981273',
      number: null,
      author: 'reader',
      authorId: '123456789012345678',
      postedAt: '2021-10-20',
      rating: 12,
      paragraphs: ['The first paragraph says something worth quoting', 'Indeed.'],
      quotes: [{ paragraph: 0, block: 1 }],
      replyTo: null,
    },
    { id: '981274', number: null, author: null, authorId: null, postedAt: null, rating: null, paragraphs: [], quotes: [], replyTo: '981273' },
  ],
  declaredCommentCount: 7,
  commentsUrl: 'https://example.org/news/1#comments',
  ingestedAt: '2023-01-02T03:04:05.678Z',
};

describe('GIVEN the output of `paperboy export`', () => {
  it('THEN parsing it gives back the same articles unchanged', () => {
    const articles = [sampleArticle, fullArticle];
    const result = parse(JSON.stringify(articles), { now: new Date('2030-01-01T00:00:00Z'), source: 'ignored' });
    expect(result.articles).toEqual(articles);
    expect(result.warnings).toEqual([]);
  });

  it('THEN pretty-printed, with a byte-order mark and CRLF line ends, it is the same', () => {
    const json = `\uFEFF${JSON.stringify([fullArticle], null, 2).replace(/\n/g, '\r\n')}`;
    expect(parse(Buffer.from(json)).articles).toEqual([fullArticle]);
  });
});

describe('GIVEN minimal articles', () => {
  it('WHEN the file is one object THEN missing fields are null, empty or now', () => {
    const { articles, warnings } = parse(JSON.stringify({ title: 'Only a title', body: [{ type: 'paragraph', text: 'Text.' }] }));
    expect(warnings).toEqual([]);
    expect(articles).toEqual([
      {
        id: articleId({ url: null, source: null, title: 'Only a title' }),
        title: 'Only a title',
        url: null,
        source: null,
        author: null,
        publishedAt: null,
        language: null,
        body: [{ type: 'paragraph', text: 'Text.' }],
        comments: [],
        declaredCommentCount: null,
        commentsUrl: null,
        ingestedAt: '2024-05-01T12:00:00.000Z',
      },
    ]);
    expect(Article.parse(articles[0])).toEqual(articles[0]);
  });

  it('WHEN the source is given as an option THEN it fills a missing source but not an explicit null', () => {
    const json = JSON.stringify([
      { title: 'A', body: [] },
      { title: 'B', body: [], source: null },
    ]);
    const [a, b] = parse(json, { now: NOW, source: 'Feed' }).articles;
    expect(a?.source).toBe('Feed');
    expect(a?.id).toBe(articleId({ url: null, source: 'Feed', title: 'A' }));
    expect(b?.source).toBeNull();
  });

  it('WHEN the body is a string THEN its blank-line-separated paragraphs become paragraph blocks', () => {
    const body = 'First paragraph.\n\nSecond paragraph,\nits second line.\r\n \r\n\n  Third.  \n\n';
    expect(parse(JSON.stringify({ title: 'T', body })).articles[0]?.body).toEqual([
      { type: 'paragraph', text: 'First paragraph.' },
      { type: 'paragraph', text: 'Second paragraph,\nits second line.' },
      { type: 'paragraph', text: 'Third.' },
    ]);
  });

  it('WHEN comments give text or paragraphs and no ids THEN ids come from numbers or positions and quotes are detected', () => {
    const body = 'NATO is now on the verge of collapsing in Europe, and the only way to convince Brussels is fear.\n\nAnother paragraph.';
    const json = JSON.stringify({
      title: 'T',
      body,
      comments: [{ text: 'NATO is now on the verge of collapsing in Europe\n\n- So they say.', number: 3 }, { paragraphs: ['I disagree.'] }, { text: '' }],
    });
    const comments = parse(json).articles[0]?.comments;
    expect(comments?.map((c) => [c.id, c.number, c.paragraphs, c.quotes])).toEqual([
      ['n3', 3, ['NATO is now on the verge of collapsing in Europe', '- So they say.'], [{ paragraph: 0, block: 0 }]],
      ['p2', null, ['I disagree.'], []],
      ['p3', null, [], []],
    ]);
  });

  it('WHEN an id is given THEN it is recomputed, and a different one is reported', () => {
    const result = parse(JSON.stringify({ id: '0000000000000000', title: 'T', url: 'https://example.org/a#comments', body: [] }));
    const expected = articleId({ url: 'https://example.org/a', source: null, title: 'other' });
    expect(result.articles[0]?.id).toBe(expected);
    expect(result.warnings).toEqual([`in.json: \`id\` "0000000000000000" ignored: the id is derived from the URL, or the source and title ("${expected}")`]);
  });

  it('WHEN two array entries are the same article THEN it is reported', () => {
    const json = JSON.stringify([
      { title: 'T', url: 'https://example.org/a', body: [] },
      { title: 'T again', url: 'https://example.org/a', body: [] },
    ]);
    expect(parse(json).warnings).toEqual(['in.json: `[1]` is the same article as `[0]` (same URL, or same source and title)']);
  });
});

describe('GIVEN invalid JSON', () => {
  it('WHEN a comma is missing THEN the error gives the line and column', () => {
    const json = '[\n  {\n    "title": "T"\n    "body": []\n  }\n]';
    const error = parseError(json);
    expect(error.line).toBe(4);
    expect(error.message).toBe("in.json:4: expected ',' or '}' after the property value at column 5 (invalid JSON)");
  });

  it('WHEN there is a trailing comma, an unclosed string or trailing text THEN the line is where it goes wrong', () => {
    expect(parseError('{\n"title": "T",\n"body": [],\n}').message).toBe('in.json:4: expected a double-quoted property name at column 1 (invalid JSON)');
    expect(parseError('{\n"title": "T\n", "body": []}').line).toBe(2);
    expect(parseError('{"title": "T", "body": []}\n\n{}').line).toBe(3);
  });

  it('WHEN the top level is not an object or array THEN that is the error', () => {
    expect(parseError('\n42').message).toBe('in.json:2: expected an article object or an array of them, got number 42');
  });
});

describe('GIVEN JSON that does not fit the model', () => {
  const articles = [
    { title: 'A', body: 'x' },
    { title: 'B', body: 'y' },
    { title: 'C', body: 'z', comments: [{ text: 'hi', rating: 'five' }] },
  ];
  const json = JSON.stringify(articles, null, 2);

  it('WHEN a field has the wrong type THEN the error names the path and the line', () => {
    const error = parseError(json);
    expect(error.line).toBe(lineWith(json, '"rating": "five"'));
    expect(error.message).toBe(`in.json:${error.line}: expected a number at \`[2].comments[0].rating\`, got string "five"`);
  });

  it('WHEN a date has the shape but names no day or time THEN the error says why, naming the path', () => {
    const cases: [string, string][] = [
      ['2021-13-45', 'there is no month 13'],
      ['2021-02-29', 'February has 28 days in 2021'],
      ['2021-04-31T10:00', 'April has 30 days'],
      ['2021-02-28T25:00Z', 'there is no hour 25'],
      ['2021-02-28T10:61+03:00', 'there is no minute 61'],
    ];
    for (const [date, why] of cases) {
      const error = parseError(JSON.stringify({ title: 'T', body: 'x', comments: [{ text: 'hi', postedAt: date }] }));
      expect(error.message).toBe(`in.json:1: expected an ISO 8601 date or date-time that exists (${why}) at \`comments[0].postedAt\`, got string "${date}"`);
    }
    // Real days and times pass, a leap day and a leap second included.
    for (const date of ['2020-02-29', '2016-12-31T23:59:60Z', '2021-01-01T00:00:00.5+05:30']) {
      expect(parse(JSON.stringify({ title: 'T', body: 'x', publishedAt: date })).articles[0]?.publishedAt).toBe(date);
    }
  });

  it('WHEN a key is unknown THEN the error names it, its object and its line', () => {
    const bad = JSON.stringify({ title: 'T', body: [{ type: 'paragraph', text: 'x' }], publishedat: '2021-01-01' }, null, 2);
    const error = parseError(bad);
    expect(error.message).toContain('expected only known keys in the top level, got unknown key "publishedat"');
    expect(error.line).toBe(lineWith(bad, '"publishedat"'));
    // The key's line, not its value's, when they differ.
    expect(parseError('{"title": "T", "body": [],\n"extra":\n  {}}').line).toBe(2);
    const nested = JSON.stringify({ title: 'T', body: [{ type: 'paragraph', text: 'x', style: 'bold' }] }, null, 2);
    expect(parseError(nested).message).toBe(`in.json:${lineWith(nested, '"style"')}: expected only known keys in \`body[0]\`, got unknown key "style"`);
  });

  it('WHEN a required field is missing or a block type unknown THEN the error says what was expected', () => {
    expect(parseError('{"body": []}').message).toBe('in.json:1: expected a string at `title`, got nothing');
    expect(parseError('{"title": "T", "body": [{"type": "image", "text": "x"}]}').message).toBe(
      'in.json:1: expected one of "paragraph", "heading", "quote" at `body[0].type`, got string "image"',
    );
    expect(parseError('{"title": "T", "body": 3}').message).toBe('in.json:1: expected an array or a string at `body`, got number 3');
    expect(parseError('{"title": "T", "body": [], "url": "not a url"}').message).toBe(
      'in.json:1: expected an absolute http:// or https:// URL (other schemes, such as javascript: or ftp:, are refused) at `url`, got string "not a url"',
    );
    expect(parseError('{"title": "", "body": [], "publishedAt": "yesterday"}').message).toBe(
      'in.json:1: expected a non-empty string at `title`, got string "" (and 1 more problem)',
    );
  });

  it('WHEN a comment is inconsistent THEN the error names the comment', () => {
    const both = JSON.stringify({ title: 'T', body: 'x', comments: [{ text: 'a', paragraphs: ['a'] }] }, null, 2);
    // Line 5 is where the comment object opens, after `{`, title, body and `"comments": [`.
    expect(parseError(both).message).toBe('in.json:5: expected `text` or `paragraphs`, not both, at `comments[0]`');
    expect(parseError('{"title": "T", "body": "x", "comments": [{"rating": 1}]}').message).toContain(
      'expected `text` or `paragraphs` (the comment has neither) at `comments[0]`',
    );
    expect(parseError('{"title": "T", "body": "x", "comments": [{"text": "a", "id": "c"}, {"text": "b", "id": "c"}]}').message).toContain(
      'expected a comment id unique within its article, got "c" again, at `comments[1].id`',
    );
    expect(parseError('{"title": "T", "body": "x", "comments": [{"text": "a", "quotes": [{"paragraph": 0, "block": 1}]}]}').message).toContain(
      'expected a paragraph below 1 and a block below 1, got paragraph 0 and block 1, at `comments[0].quotes[0]`',
    );
  });
});

describe('GIVEN a file with a byte that is not UTF-8', () => {
  it('THEN the error names its line, its column and the byte, not just the file', () => {
    const bytes = Buffer.concat([Buffer.from('{\n  "title": "Ok",\n  "body": "Caf'), Buffer.from([0xe9]), Buffer.from('"\n}')]);
    expect(() => parse(bytes)).toThrow('in.json: expected UTF-8 text (byte 0xE9 at line 3, column 15 is not UTF-8)');
  });

  it('THEN the UTF-8 check agrees with TextDecoder on overlong forms, surrogates and truncated sequences', () => {
    const cases = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80], [0xe2, 0x82, 0xac], [0x7f]];
    for (const bytes of cases) {
      const valid = (() => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
          return true;
        } catch {
          return false;
        }
      })();
      expect([bytes, firstInvalidUtf8(Uint8Array.from(bytes)) === -1]).toEqual([bytes, valid]);
    }
  });
});
