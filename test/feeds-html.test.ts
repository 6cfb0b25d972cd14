import { describe, expect, it } from 'vitest';
import { htmlToBlocks, htmlToLine } from '../src/adapters/feeds/html.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

const texts = (html: string, base: string | null = null): string[] => htmlToBlocks(html, base).map((b) => b.text);

describe('GIVEN HTML with scripts, styles, iframes and images', () => {
  const html = `<style>p { color: red }</style><script>alert("<p>hi</p>")</script>
    <p>First <b>bold</b> words.<img src="x.jpg" alt="a cat"></p><iframe src="https://video.example/1"><p>Your browser</p></iframe>
    <noscript>Enable JavaScript</noscript><p>Second&nbsp;paragraph &amp; more &#8220;quoted&#8221; &eacute;t&eacute;.</p><img src="pixel.gif" />`;

  it('THEN only the text a reader sees is left, entities decoded, whitespace collapsed', () => {
    expect(texts(html)).toEqual(['First bold words.', 'Second paragraph & more “quoted” été.']);
  });

  it('THEN a self-closed iframe does not swallow what follows it', () => {
    expect(texts('<p>a</p><iframe src="x"/><p>b</p>')).toEqual(['a', 'b']);
  });
});

describe('GIVEN HTML with links', () => {
  it('THEN a link is kept as its text and URL, since the bot escapes markdown', () => {
    expect(texts('<p>Read <a href="https://example.com/story">the story</a> now.</p>')).toEqual(['Read the story (https://example.com/story) now.']);
  });

  it('THEN a link whose text is its URL is kept once', () => {
    expect(texts('<p>See <a href="https://example.com/a/">https://example.com/a/</a> and <a href="http://www.example.org/">example.org</a></p>')).toEqual([
      'See https://example.com/a/ and example.org',
    ]);
  });

  it('THEN a relative link is made absolute against the item link, and a link with no text or no usable URL keeps no URL', () => {
    expect(
      texts(
        '<p><a href="/about">About</a> <a href="https://x.example/"><img src="i.png"></a> <a href="javascript:void(0)">Click</a> <a href="mailto:a@b.c">mail</a></p>',
        'https://news.example/2024/story',
      ),
    ).toEqual(['About (https://news.example/about) Click mail']);
  });
});

describe('GIVEN HTML paragraphs in the shapes feeds use', () => {
  it('THEN block elements and a double <br> separate paragraphs; a single <br> is a line break', () => {
    expect(texts('Intro line<br>second line<br/><br />Next paragraph<br> <br>Last<div>In a div</div>')).toEqual([
      'Intro line\nsecond line',
      'Next paragraph',
      'Last',
      'In a div',
    ]);
  });

  it('THEN headings become heading blocks and blockquotes quote blocks', () => {
    expect(htmlToBlocks('<h2>Section</h2><p>Text</p><blockquote><p>Quoted words</p></blockquote>')).toEqual([
      { type: 'heading', text: 'Section' },
      { type: 'paragraph', text: 'Text' },
      { type: 'quote', text: 'Quoted words', attribution: null },
    ]);
  });

  it('THEN list items are paragraphs marked as list items, numbered in ordered lists', () => {
    expect(texts('<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>')).toEqual(['• one', '• two', '1. first', '2. second']);
    expect(texts('<ul><li><p>in a paragraph</p><p>and a second</p></li><li><img src="only.png"></li><li>last</li></ul>')).toEqual([
      '• in a paragraph',
      'and a second',
      '• last',
    ]);
  });

  it('THEN the cells of a table row stay on one line', () => {
    expect(texts('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>')).toEqual(['a b', 'c']);
  });

  it('THEN broken HTML still gives its text', () => {
    expect(texts('<p>unclosed <b>bold <i>and italic<p>next')).toEqual(['unclosed bold and italic', 'next']);
  });
});

describe('GIVEN titles with HTML in them', () => {
  it('THEN tags are dropped and entities decoded into one line', () => {
    expect(htmlToLine('Price &#x0024;4300 <b>1930ft<sup>2</sup></b>\n  now')).toBe('Price $4300 1930ft2 now');
    expect(htmlToLine('Plain title, untouched')).toBe('Plain title, untouched');
  });

  it('THEN an RSS title escaped twice reads as written, and an Atom text title is not treated as HTML', () => {
    const rss = parseFeed(
      '<rss version="2.0"><channel><title>T</title><item><title>AT&amp;amp;T &amp;lt;3</title><link>https://e.example/1</link></item></channel></rss>',
    );
    expect(rss.items[0]?.title).toBe('AT&T <3');
    const atom = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>
      <entry><id>urn:1</id><title type="text">Use &lt;b&gt; for bold</title><link href="https://e.example/1"/></entry></feed>`);
    expect(atom.items[0]?.title).toBe('Use <b> for bold');
  });
});

describe('GIVEN an item with both content:encoded and a description', () => {
  const feed = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://e.example/</link>
    <item><title>Full</title><link>https://e.example/1</link><description>Short teaser</description>
      <content:encoded><![CDATA[<p>The <em>whole</em> story.</p><p>Part two with <a href="/more">more</a>.</p><script>track()</script>]]></content:encoded></item>
    <item><title>Empty content</title><link>https://e.example/2</link><description>&lt;p&gt;Only the teaser&lt;/p&gt;</description><content:encoded><![CDATA[<img src="x.png">]]></content:encoded></item>
    <item><title>Plain</title><link>https://e.example/3</link><description>Line one
of paragraph one.

Paragraph two.</description></item>
  </channel></rss>`;
  const items = parseFeed(feed).items;

  it('THEN content:encoded is preferred, with relative links resolved against the item link', () => {
    expect(items[0]?.body.map((b) => b.text)).toEqual(['The whole story.', 'Part two with more (https://e.example/more).']);
  });

  it('THEN a content:encoded with no text falls back to the description', () => {
    expect(items[1]?.body.map((b) => b.text)).toEqual(['Only the teaser']);
  });

  it('THEN a plain-text description keeps its paragraphs', () => {
    expect(items[2]?.body.map((b) => b.text)).toEqual(['Line one of paragraph one.', 'Paragraph two.']);
  });
});
