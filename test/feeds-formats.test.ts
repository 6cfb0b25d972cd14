import { describe, expect, it } from 'vitest';
import { Article } from '../src/core/model.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('GIVEN a JSON Feed 1.1', () => {
  const feed = JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Micro News',
    home_page_url: 'https://micro.example/',
    feed_url: 'https://micro.example/feed.json',
    language: 'en',
    authors: [{ name: 'Feed Author' }],
    items: [
      {
        id: 'post-2',
        url: 'https://micro.example/2',
        title: 'Second post',
        content_html: '<p>Hello <a href="https://other.example/">there</a>.</p><p>Bye.</p>',
        content_text: 'Hello there. Bye.',
        date_published: '2024-04-02T10:00:00+02:00',
        date_modified: '2024-04-03T10:00:00Z',
        authors: [{ name: 'Ann Writer' }, { name: 'Bob Editor' }],
      },
      { id: 'post-1', url: 'https://micro.example/1', content_text: 'An untitled note.\n\nWith a second paragraph.', date_modified: '2024-04-01' },
      { id: 3, external_url: 'https://elsewhere.example/x', title: 'Elsewhere', summary: 'Only a summary', language: 'de' },
    ],
  });
  const result = parseFeed(Buffer.from(feed), { url: 'https://micro.example/feed.json', now: NOW });

  it('THEN each item is a valid Article with content_html preferred, authors joined and the date in UTC', () => {
    expect(result.title).toBe('Micro News');
    expect(result.items).toHaveLength(3);
    for (const a of result.items) expect(Article.parse(a)).toEqual(a);
    expect(result.items[0]).toMatchObject({
      title: 'Second post',
      url: 'https://micro.example/2',
      author: 'Ann Writer, Bob Editor',
      publishedAt: '2024-04-02T08:00:00Z',
      language: 'en',
      source: 'Micro News',
      body: [
        { type: 'paragraph', text: 'Hello there (https://other.example/).' },
        { type: 'paragraph', text: 'Bye.' },
      ],
    });
  });

  it('THEN an untitled item is named by the start of its text, inherits the feed author, and is dated by date_modified when that is all it has', () => {
    expect(result.items[1]).toMatchObject({
      title: 'An untitled note.',
      author: 'Feed Author',
      publishedAt: '2024-04-01',
      body: [
        { type: 'paragraph', text: 'An untitled note.' },
        { type: 'paragraph', text: 'With a second paragraph.' },
      ],
    });
  });

  it('THEN external_url stands in for a missing url, a numeric id is an id, and the item language wins', () => {
    expect(result.items[2]).toMatchObject({ url: 'https://elsewhere.example/x', language: 'de', body: [{ type: 'paragraph', text: 'Only a summary' }] });
    expect(result.warnings).toEqual([]);
  });

  it('THEN JSON Feed 1.0 (a single `author`, http version URL) is read too', () => {
    const old = JSON.stringify({
      version: 'https://jsonfeed.org/version/1',
      title: 'Old',
      author: { name: 'Solo' },
      items: [{ id: 'a', url: 'https://o.example/a', title: 'A' }],
    });
    expect(parseFeed(old).items[0]).toMatchObject({ title: 'A', author: 'Solo' });
  });
});

describe('GIVEN RSS 2.0 authors and comment counts', () => {
  const feed = `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<channel><title>Blog</title><link>https://blog.example/</link><language>en-US</language>
<item><title>Email form</title><link>https://blog.example/1</link><author>jane@blog.example (Jane Doe)</author>
  <slash:comments>12</slash:comments><comments>https://blog.example/1#comments</comments><wfw:commentRss>https://blog.example/1/feed</wfw:commentRss></item>
<item><title>Dublin Core</title><link>https://blog.example/2</link><dc:creator>John Roe</dc:creator><author>john@blog.example</author></item>
<item><title>Bare email</title><link>https://blog.example/3</link><author>nobody@blog.example</author><slash:comments>zero</slash:comments></item>
</channel></rss>`;
  const items = parseFeed(feed, { file: 'blog.rss', now: NOW }).items;

  it('THEN "x@y (Name)" gives the name, dc:creator comes first, and a bare address is kept as the only name given', () => {
    expect(items.map((a) => a.author)).toEqual(['Jane Doe', 'John Roe', 'nobody@blog.example']);
  });

  it('THEN slash:comments is the declared comment count, and a count that is not a number is none', () => {
    expect(items.map((a) => a.declaredCommentCount)).toEqual([12, null, null]);
  });

  it('THEN the channel language applies to every item', () => {
    expect(items.map((a) => a.language)).toEqual(['en-US', 'en-US', 'en-US']);
  });
});

describe('GIVEN an Atom feed with XHTML content, thr:total and relative links', () => {
  const feed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" xml:lang="fr">
  <title type="html">Le &lt;em&gt;Blog&lt;/em&gt;</title><id>tag:blog.example,2024:feed</id><updated>2024-04-02T00:00:00Z</updated>
  <link rel="self" href="https://blog.example/atom.xml"/><link rel="alternate" type="text/html" href="https://blog.example/"/>
  <entry>
    <id>tag:blog.example,2024:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Un <b>titre</b></div></title>
    <updated>2024-04-02T12:00:00+02:00</updated>
    <link rel="replies" href="https://blog.example/1#comments" thr:count="4"/><link rel="alternate" href="/posts/1"/>
    <author><name>Marie</name></author><thr:total>4</thr:total>
    <summary>Résumé</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Premier.</p><p>Second <a href="/a">lien</a>.</p></div></content>
  </entry>
  <entry><id>tag:blog.example,2024:2</id><title>Sans contenu</title><link href="https://blog.example/posts/2"/><summary type="text">Juste un résumé &lt;court&gt;</summary></entry>
</feed>`;
  const result = parseFeed(feed, { url: 'https://blog.example/atom.xml', now: NOW });

  it('THEN titles and content are converted, the alternate link is made absolute, and thr:total is the comment count', () => {
    expect(result.title).toBe('Le Blog');
    expect(result.items[0]).toMatchObject({
      title: 'Un titre',
      url: 'https://blog.example/posts/1',
      author: 'Marie',
      publishedAt: '2024-04-02T10:00:00Z',
      language: 'fr',
      declaredCommentCount: 4,
      body: [
        { type: 'paragraph', text: 'Premier.' },
        { type: 'paragraph', text: 'Second lien (https://blog.example/a).' },
      ],
    });
  });

  it('THEN a text summary stands in for missing content, and is not read as HTML', () => {
    expect(result.items[1]?.body).toEqual([{ type: 'paragraph', text: 'Juste un résumé <court>' }]);
    expect(result.items[1]?.publishedAt).toBeNull();
  });
});

describe('GIVEN RSS 0.90 and 0.91', () => {
  it('THEN the RDF-based 0.90 is read', () => {
    const feed = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link><description>the Mozilla Organization web site</description></channel>
<item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item>
<item><title>Bugzilla Reorganized</title><link>http://www.mozilla.org/bugs/</link></item></rdf:RDF>`;
    const result = parseFeed(feed);
    expect(result.title).toBe('Mozilla Dot Org');
    expect(result.items.map((a) => [a.title, a.url])).toEqual([
      ['New Status Updates', 'http://www.mozilla.org/status/'],
      ['Bugzilla Reorganized', 'http://www.mozilla.org/bugs/'],
    ]);
  });

  it('THEN 0.91 with a doctype is read', () => {
    const feed = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>WriteTheWeb</title><link>http://writetheweb.com</link>
<item><title>Giving the world a pluggable Gnutella</title><link>http://writetheweb.com/read.php?item=24</link><description>WorldOS is a framework on which to build programs.</description></item>
</channel></rss>`;
    expect(parseFeed(Buffer.from(feed, 'latin1')).items[0]).toMatchObject({
      title: 'Giving the world a pluggable Gnutella',
      url: 'http://writetheweb.com/read.php?item=24',
    });
  });
});
