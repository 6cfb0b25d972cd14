import { readFileSync, readdirSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isFeed } from '../src/adapters/feeds/detect.ts';

const FIXTURES = new URL('./fixtures/feeds/', import.meta.url);
const JSON_FEED = JSON.stringify({ title: 'Micro', items: [], version: 'https://jsonfeed.org/version/1.1' }, null, 2);
const PAPERBOY_JSON = JSON.stringify([{ title: 'An article about "version": "https://jsonfeed.org/version/1"', body: 'Text' }]);

describe('GIVEN saved feed files', () => {
  it.each(readdirSync(FIXTURES))('THEN the real feed %s is a feed', (name) => {
    expect(isFeed(readFileSync(new URL(name, FIXTURES)), name)).toBe(true);
  });

  it('THEN .xml files are feeds when their root element is <rss>, <feed> or <rdf:RDF>, after any prolog', () => {
    const rss = readFileSync(new URL('rss-parser__guardian.rss', FIXTURES));
    expect(isFeed(rss, 'saved.xml')).toBe(true);
    const atom = readFileSync(new URL('rss-parser__feedburner.atom', FIXTURES));
    expect(isFeed(atom, 'SAVED.XML')).toBe(true);
    expect(isFeed(Buffer.from('<?xml version="1.0"?>\n<!-- a comment -->\n<rdf:RDF xmlns:rdf="x"></rdf:RDF>'), 'a.xml')).toBe(true);
    expect(isFeed(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('<rss version="2.0"></rss>', 'utf-16le')]), 'utf16.xml')).toBe(true);
  });

  it('THEN a JSON Feed is a feed', () => {
    expect(isFeed(Buffer.from(JSON_FEED), 'micro.json')).toBe(true);
  });
});

describe("GIVEN Paperboy's own sources and other files", () => {
  it('THEN article JSON is not a feed, even when its text mentions a JSON Feed version', () => {
    expect(isFeed(Buffer.from(PAPERBOY_JSON), 'articles.json')).toBe(false);
    expect(isFeed(Buffer.from('{"title": "One", "body": "Text"}'), 'one.json')).toBe(false);
  });

  it('THEN other XML, exports, JSON Lines and unknown extensions are not feeds', () => {
    expect(isFeed(Buffer.from('<?xml version="1.0"?><opml version="2.0"/>'), 'subs.xml')).toBe(false);
    expect(isFeed(Buffer.from('Title\n\nBody'), 'article.txt')).toBe(false);
    expect(isFeed(Buffer.from(JSON_FEED.replace(/\n/g, '')), 'feeds.jsonl')).toBe(false);
    expect(isFeed(Buffer.from('<rss version="2.0"></rss>'), 'feed')).toBe(false);
  });
});
