import { describe, expect, it } from 'vitest';
import { articleId } from '../src/core/model.ts';
import { feedItemId } from '../src/adapters/feeds/articles.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

interface Item {
  readonly guid?: string;
  readonly title?: string;
  readonly link?: string;
  readonly date?: string;
  readonly text?: string;
}

function rss(items: readonly Item[], channelLink = 'https://news.example/'): string {
  const body = items
    .map((i) =>
      [
        '<item>',
        i.title === undefined ? '' : `<title>${i.title}</title>`,
        i.link === undefined ? '' : `<link>${i.link}</link>`,
        i.guid === undefined ? '' : `<guid isPermaLink="false">${i.guid}</guid>`,
        i.date === undefined ? '' : `<pubDate>${i.date}</pubDate>`,
        i.text === undefined ? '' : `<description>${i.text}</description>`,
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<rss version="2.0"><channel><title>News</title><link>${channelLink}</link>\n${body}\n</channel></rss>`;
}

const idsByTitle = (xml: string, url?: string): Record<string, string> =>
  Object.fromEntries(parseFeed(xml, { url: url ?? null }).items.map((a) => [a.title, a.id]));

describe('GIVEN a feed that reorders its items and changes their dates and text', () => {
  const before = rss([
    { guid: 'a-1', title: 'One', link: 'https://news.example/1', date: 'Mon, 01 Apr 2024 10:00:00 GMT' },
    { guid: 'a-2', title: 'Two', link: 'https://news.example/2', date: 'Tue, 02 Apr 2024 10:00:00 GMT' },
    { title: 'Three', link: 'https://news.example/3', date: 'Wed, 03 Apr 2024 10:00:00 GMT' },
  ]);
  const after = rss([
    { title: 'Three', link: 'https://news.example/3', date: 'Fri, 05 Apr 2024 09:00:00 GMT', text: 'Updated' },
    { guid: 'a-2', title: 'Two', link: 'https://news.example/2', date: 'Thu, 04 Apr 2024 10:00:00 GMT', text: 'Corrected' },
    { guid: 'a-1', title: 'One', link: 'https://news.example/1' },
  ]);

  it('THEN every item keeps its id', () => {
    expect(idsByTitle(after)).toEqual(idsByTitle(before));
  });

  it('THEN an item with a guid takes its id from the feed and the guid; one with only a link, from the link as any Article would', () => {
    const ids = idsByTitle(before);
    expect(ids.One).toBe(feedItemId('https://news.example/', 'a-1'));
    expect(ids.Three).toBe(articleId({ url: 'https://news.example/3', source: 'News', title: 'Three' }));
  });

  it('THEN the same feed fetched from another URL (a redirect, http to https) keeps its ids: the feed names its own site', () => {
    expect(idsByTitle(before, 'http://feeds.news.example/rss')).toEqual(idsByTitle(before, 'https://news.example/rss.xml'));
  });
});

describe('GIVEN two feeds of different sites using the same guids', () => {
  it('THEN their items do not collide', () => {
    const a = idsByTitle(rss([{ guid: '1', title: 'Post' }], 'https://one.example/'));
    const b = idsByTitle(rss([{ guid: '1', title: 'Post' }], 'https://two.example/'));
    expect(a.Post).not.toBe(b.Post);
  });

  it('THEN a feed that names no site of its own is told apart by its URL, else by its title', () => {
    const bare = (title: string): string => `<rss version="2.0"><channel><title>${title}</title><item><guid>1</guid><title>Post</title></item></channel></rss>`;
    const fromUrl = (url: string): string | undefined => parseFeed(bare('Same'), { url }).items[0]?.id;
    expect(fromUrl('https://one.example/rss')).not.toBe(fromUrl('https://two.example/rss'));
    expect(parseFeed(bare('First')).items[0]?.id).not.toBe(parseFeed(bare('Second')).items[0]?.id);
  });
});

describe('GIVEN a feed with bad items among good ones', () => {
  const xml = rss([
    { guid: 'g1', title: 'Good one', link: 'https://news.example/1' },
    { guid: 'g2', text: 'A description without title or link' },
    { text: 'Nothing to identify me' },
    { guid: 'g1', title: 'Good one again', link: 'https://news.example/1b' },
    { title: 'Relative link', link: 'javascript:alert(1)' },
    { title: 'Last good', link: 'https://news.example/last' },
  ]);
  const result = parseFeed(xml, { file: 'news.rss' });

  it('THEN the good ones are all read', () => {
    expect(result.items.map((a) => [a.title, a.url])).toEqual([
      ['Good one', 'https://news.example/1'],
      ['Relative link', null],
      ['Last good', 'https://news.example/last'],
    ]);
  });

  it('THEN each bad one is named in a warning saying why', () => {
    expect(result.warnings).toEqual([
      'news.rss: item 2 (guid "g2") skipped: it has no title and no link',
      'news.rss: item 3 skipped: it has no title and no link',
      'news.rss: item 4 ("Good one again") skipped: it is the same item as item 1 ("Good one") (same guid)',
      'news.rss: item 5 ("Relative link"): its link "javascript:alert(1)" is not an absolute http(s) URL; left empty',
    ]);
  });
});

describe('GIVEN an item with a relative link', () => {
  it('THEN the link is resolved against the channel link', () => {
    const [article] = parseFeed(rss([{ title: 'Rel', link: '/2024/rel.html' }], 'https://news.example/section/')).items;
    expect(article?.url).toBe('https://news.example/2024/rel.html');
  });
});
