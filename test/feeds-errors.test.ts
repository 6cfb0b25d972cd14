import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/core/errors.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import type { FeedParseOptions } from '../src/adapters/feeds/parse.ts';

const GUARDIAN = readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url));
const HEISE = readFileSync(new URL('./fixtures/feeds/rss-parser__heise.atom', import.meta.url));
const URL_OPTIONS: FeedParseOptions = { url: 'https://news.example/rss' };

function parseError(bytes: Buffer | string, options: FeedParseOptions = URL_OPTIONS): ParseError {
  try {
    parseFeed(bytes, options);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('GIVEN an empty body', () => {
  it('THEN the error names the URL and says a feed was expected', () => {
    expect(parseError(Buffer.alloc(0)).message).toBe('https://news.example/rss: expected a feed (RSS, Atom or JSON Feed), got an empty body');
  });

  it('THEN a body of only whitespace is no better, and a saved file is named by its path', () => {
    expect(parseError(Buffer.from(' \r\n\t'), { file: 'inbox/news.rss' }).message).toBe(
      'inbox/news.rss: expected a feed (RSS, Atom or JSON Feed), got a body of only whitespace',
    );
  });
});

describe('GIVEN a truncated feed', () => {
  it('THEN one cut inside an item is refused with the line where it stops', () => {
    const cut = GUARDIAN.subarray(0, Math.floor(GUARDIAN.length / 2));
    const error = parseError(cut);
    const lines = cut.toString('utf8').trimEnd().split('\n').length;
    expect(error.file).toBe('https://news.example/rss');
    expect(error.line).toBe(lines);
    expect(error.message).toMatch(
      new RegExp(`^https://news\\.example/rss:${lines}: expected the document to end with </rss>; it stops at ".+" \\(truncated\\?\\)$`),
    );
  });

  it('THEN one cut neatly between two items, which an XML parser would take as complete, is refused too', () => {
    const text = HEISE.toString('utf8');
    const cut = text.slice(0, text.indexOf('</entry>') + '</entry>'.length);
    expect(parseError(Buffer.from(cut)).message).toMatch(
      /^https:\/\/news\.example\/rss:\d+: expected the document to end with <\/feed>; it stops at "<\/entry>" \(truncated\?\)$/,
    );
  });

  it('THEN a JSON Feed cut short is invalid JSON', () => {
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [{ id: '1', title: 'A' }] });
    expect(parseError(json.slice(0, 40)).message).toMatch(/^https:\/\/news\.example\/rss: expected a feed \(RSS, Atom or JSON Feed\): valid JSON \(.+\)$/);
  });
});

describe('GIVEN an HTML page instead of a feed', () => {
  it('THEN the error says it is an HTML page and shows its title', () => {
    const page = '<!DOCTYPE html>\n<html lang="en"><head><title>Page not found – News</title></head><body><p>Sorry</p></body></html>';
    expect(parseError(Buffer.from(page)).message).toBe(
      'https://news.example/rss: expected a feed (RSS, Atom or JSON Feed), got an HTML page ("Page not found – News")',
    );
  });

  it('THEN a page without a doctype or title is recognised as well', () => {
    expect(parseError('<html><body>Hi</body></html>').message).toBe('https://news.example/rss: expected a feed (RSS, Atom or JSON Feed), got an HTML page');
  });
});

describe('GIVEN documents that are not feeds', () => {
  it('THEN other XML names its root element', () => {
    expect(parseError('<?xml version="1.0"?><opml version="2.0"><body/></opml>').message).toBe(
      'https://news.example/rss: expected a feed (RSS, Atom or JSON Feed): a root element <rss>, <feed> or <rdf:RDF>, got <opml>',
    );
  });

  it('THEN plain text shows how it starts', () => {
    expect(parseError('Service temporarily unavailable').message).toBe(
      'https://news.example/rss: expected a feed (RSS, Atom or JSON Feed), got text starting "Service temporarily unavailable"',
    );
  });

  it("THEN JSON that is not a JSON Feed (Paperboy's own article JSON, say) says what version was expected", () => {
    expect(parseError('{"title": "An article", "body": "Text"}').message).toBe(
      'https://news.example/rss: expected a JSON Feed: an object whose "version" starts with https://jsonfeed.org/version/, got no version',
    );
  });

  it("THEN malformed XML inside the root is refused with the parser's reason", () => {
    const bad = '<rss version="2.0"><channel><title>T</title><item><title>A</titel></item></channel></rss>';
    expect(parseError(bad).message).toMatch(/^https:\/\/news\.example\/rss: expected well-formed XML in <rss>: .+/);
  });
});

describe('GIVEN a feed root with nothing of a feed inside', () => {
  it.each([
    ['<rss version="2.0"></rss>', 'an RSS feed: a <channel> inside <rss>'],
    ['<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'an Atom feed: a title, an id or entries inside <feed>'],
    ['[{"title": "An article", "body": "Text"}]', 'a JSON Feed: an object whose "version" starts with https://jsonfeed.org/version/, got an array'],
    ['{"version": "https://jsonfeed.org/version/1.1"}', 'a JSON Feed with a title and items'],
  ])('THEN %s is refused, saying what was missing', (text, expected) => {
    expect(parseError(text).message).toBe(`https://news.example/rss: expected ${expected}`);
  });

  it('THEN a feed that is merely empty is no error', () => {
    const result = parseFeed('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', URL_OPTIONS);
    expect(result).toEqual({ title: 'Quiet', items: [], warnings: [] });
  });
});
