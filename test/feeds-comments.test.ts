import { describe, expect, it } from 'vitest';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

describe('GIVEN feeds that point at their own discussions', () => {
  it('THEN RSS <comments>, wfw:commentRss and Atom rel="replies" become the comments link, with the count where given', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
      <channel><title>Blog</title><link>https://blog.example/</link>
      <item><title>One</title><link>https://blog.example/one</link><comments>https://blog.example/one#comments</comments><slash:comments>12</slash:comments></item>
      <item><title>Two</title><link>https://blog.example/two</link><wfw:commentRss>/two/feed</wfw:commentRss></item>
      <item><title>Three</title><link>https://blog.example/three</link></item>
      </channel></rss>`;
    const items = parseFeed(Buffer.from(rss), { url: 'https://blog.example/feed' }).items;
    expect(items.map((a) => [a.title, a.commentsUrl, a.declaredCommentCount])).toEqual([
      ['One', 'https://blog.example/one#comments', 12],
      ['Two', 'https://blog.example/two/feed', null],
      ['Three', null, null],
    ]);
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"><title>A</title><id>urn:a</id>
      <entry><id>urn:a:1</id><title>Entry</title><link href="https://a.example/1"/><link rel="replies" type="text/html" href="https://a.example/1#c" thr:count="3"/><updated>2026-11-28T08:00:00Z</updated></entry></feed>`;
    expect(parseFeed(Buffer.from(atom)).items.map((a) => [a.commentsUrl, a.declaredCommentCount])).toEqual([['https://a.example/1#c', 3]]);
  });
});
