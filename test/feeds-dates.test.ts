import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../src/adapters/feeds/dates.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

describe('GIVEN RFC 822 dates as real feeds write them', () => {
  it.each([
    ['Wed, 03 Jan 2018 13:47:00 GMT', '2018-01-03T13:47:00Z'],
    ['Thu, 12 Nov 2015 21:16:39 +0000', '2015-11-12T21:16:39Z'],
    ['Mon, 24 Sep 2018 19:42:40 -0300', '2018-09-24T22:42:40Z'],
    ['Tue, 10 Jun 2003 04:00:00 EST', '2003-06-10T09:00:00Z'],
    ['Tue, 10 Jun 2003 04:00:00 PDT', '2003-06-10T11:00:00Z'],
    ['Sat, 07 Sep 2002 00:00:01 UT', '2002-09-07T00:00:01Z'],
    ['Tue, 10 Jun 2003 09:41 GMT', '2003-06-10T09:41:00Z'],
    ['10 Jun 2003 09:41:01 +0200', '2003-06-10T07:41:01Z'],
    ['Sun, 5 Mar 2017 08:03:00 +0100', '2017-03-05T07:03:00Z'],
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00Z'],
    ['Thu, 01 Jan 98 00:00:00 +0530', '1997-12-31T18:30:00Z'],
    ['Wed, 03 Jan 2018 13:47:00 GMT\n      ', '2018-01-03T13:47:00Z'],
    ['Mon, 31 Dec 2018 23:59:60 GMT', '2018-12-31T23:59:59Z'],
    ['Friday, 1 June 2018 10:00:00 CEST', '2018-06-01T08:00:00Z'],
  ])('THEN %j is %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it.each([
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40Z'],
    ['Mer, 3 Déc 2014 10:00:00 +0100', '2014-12-03T09:00:00Z'],
    ['Di, 3. Mär 2020 12:00:00 +0100', '2020-03-03T11:00:00Z'],
    ['Lun, 4 Dic 2017 10:00:00 GMT', '2017-12-04T10:00:00Z'],
  ])('THEN the month names of other languages are read too: %j is %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it('THEN a zone that cannot be placed gives the local time without an offset, not a guessed one', () => {
    expect(parseFeedDate('Tue, 10 Jun 2003 09:41:01 IST')).toBe('2003-06-10T09:41:01');
    expect(parseFeedDate('Tue, 10 Jun 2003 09:41:01')).toBe('2003-06-10T09:41:01');
  });

  it('THEN a date without a time stays a date', () => {
    expect(parseFeedDate('10 Jun 2003')).toBe('2003-06-10');
    expect(parseFeedDate('Jun 10, 2003')).toBe('2003-06-10');
  });
});

describe('GIVEN ISO 8601 / RFC 3339 dates', () => {
  it.each([
    ['2016-02-01T17:54:50+01:00', '2016-02-01T16:54:50Z'],
    ['2016-06-27T07:36:54.007-07:00', '2016-06-27T14:36:54.007Z'],
    ['2018-01-31T20:15:15Z', '2018-01-31T20:15:15Z'],
    ['2018-01-31t20:15:15z', '2018-01-31T20:15:15Z'],
    ['2018-01-31 20:15:15+0000', '2018-01-31T20:15:15Z'],
    ['2018-01-31T20:15Z', '2018-01-31T20:15:00Z'],
    ['2018-01-31T20:15:15', '2018-01-31T20:15:15'],
    ['2018-01-31', '2018-01-31'],
  ])('THEN %j is %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });
});

describe('GIVEN strings that are not dates', () => {
  it.each(['', '   ', 'yesterday', 'Wed, 31 Feb 2018 10:00:00 GMT', '2018-13-01', '2018-01-01T25:00:00Z', 'Wed, 03 Foo 2018 13:47:00 GMT', '1517429715'])(
    'THEN %j gives null',
    (raw) => {
      expect(parseFeedDate(raw)).toBeNull();
    },
  );
});

describe('GIVEN items dated in several ways', () => {
  const feed = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Dates</title><link>https://example.com/</link>
<item><title>Both</title><link>https://example.com/1</link><pubDate>Wed, 03 Jan 2018 13:47:00 GMT</pubDate><dc:date>2017-01-01T00:00:00Z</dc:date></item>
<item><title>Dublin Core only</title><link>https://example.com/2</link><dc:date>2017-06-15T10:29:47-07:00</dc:date></item>
<item><title>Bad then good</title><link>https://example.com/3</link><pubDate>someday</pubDate><dc:date>2017-01-02</dc:date></item>
<item><title>Bad only</title><link>https://example.com/4</link><pubDate>someday</pubDate></item>
<item><title>None</title><link>https://example.com/5</link></item>
</channel></rss>`;
  const result = parseFeed(feed, { file: 'dates.rss' });

  it('THEN pubDate wins, dc:date stands in, an unreadable date is skipped for the next, and none is null', () => {
    expect(result.items.map((a) => a.publishedAt)).toEqual(['2018-01-03T13:47:00Z', '2017-06-15T17:29:47Z', '2017-01-02', null, null]);
  });

  it('THEN only the item whose every date is unreadable is reported', () => {
    expect(result.warnings).toEqual(['dates.rss: item 4 ("Bad only"): date "someday" not understood; left empty']);
  });
});
