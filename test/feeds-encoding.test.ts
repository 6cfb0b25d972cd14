import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeed } from '../src/adapters/feeds/decode.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

const NOW = new Date('2024-05-01T12:00:00.000Z');

/** A small Russian news feed, as a site serving windows-1251 would write it. */
const RUSSIAN = `<rss version="2.0"><channel><title>Новости дня</title><link>https://example.ru/</link>
<item><title>В Москве открылась новая библиотека</title><link>https://example.ru/1</link>
<description>Библиотека работает ежедневно, вход свободный. Читатели могут взять книги домой.</description></item>
<item><title>Погода: в выходные ожидается снег</title><link>https://example.ru/2</link>
<description>Синоптики обещают похолодание и сильный ветер.</description></item>
</channel></rss>`;

const FRENCH = `<rss version="2.0"><channel><title>Actualités</title><link>https://example.fr/</link>
<item><title>Élection à Paris : le député a déclaré être très ému</title><link>https://example.fr/1</link>
<description>« C’est une journée très spéciale », a-t-il précisé.</description></item></channel></rss>`;

function titles(bytes: Buffer, contentType: string | null = null): string[] {
  return parseFeed(bytes, { file: 'news.rss', contentType, now: NOW }).items.map((a) => a.title);
}

describe('GIVEN windows-1251 Cyrillic without any declaration', () => {
  const bytes = iconv.encode(RUSSIAN, 'windows-1251');

  it('THEN the bytes are guessed as windows-1251 and the text comes out right, with a warning saying so', () => {
    const result = parseFeed(bytes, { file: 'news.rss', now: NOW });
    expect(result.title).toBe('Новости дня');
    expect(result.items.map((a) => a.title)).toEqual(['В Москве открылась новая библиотека', 'Погода: в выходные ожидается снег']);
    expect(result.items[0]?.body[0]?.text).toBe('Библиотека работает ежедневно, вход свободный. Читатели могут взять книги домой.');
    expect(result.warnings).toEqual(['news.rss: no encoding declared and the bytes are not UTF-8; read as windows-1251']);
  });

  it('THEN an HTTP charset naming it is used as is, without a warning', () => {
    const result = parseFeed(bytes, { url: 'https://example.ru/rss', contentType: 'application/rss+xml; charset=windows-1251', now: NOW });
    expect(result.items[1]?.title).toBe('Погода: в выходные ожидается снег');
    expect(result.warnings).toEqual([]);
  });

  it('THEN an XML declaration naming it is used as is', () => {
    const declared = iconv.encode(`<?xml version="1.0" encoding="windows-1251"?>\n${RUSSIAN}`, 'windows-1251');
    expect(decodeFeed(declared, null, 'x').encoding).toBe('windows-1251');
    expect(titles(declared)[0]).toBe('В Москве открылась новая библиотека');
  });
});

describe('GIVEN ISO-8859-1 / windows-1252 bytes', () => {
  it('THEN undeclared Latin-1 French is guessed right', () => {
    expect(titles(iconv.encode(FRENCH, 'latin1'))).toEqual(['Élection à Paris : le député a déclaré être très ému']);
  });

  it('THEN a declared ISO-8859-1 feed with windows-1252 curly quotes keeps the quotes, as browsers read it', () => {
    const bytes = iconv.encode(`<?xml version="1.0" encoding="ISO-8859-1"?>${FRENCH}`, 'windows-1252');
    const [article] = parseFeed(bytes, { file: 'news.rss', now: NOW }).items;
    expect(article?.body[0]?.text).toBe('« C’est une journée très spéciale », a-t-il précisé.');
  });

  it('THEN an HTTP charset of UTF-8 that the bytes contradict is not trusted: the bytes are guessed, with a warning', () => {
    const result = parseFeed(iconv.encode(FRENCH, 'latin1'), { url: 'https://example.fr/rss', contentType: 'text/xml; charset=utf-8', now: NOW });
    expect(result.items[0]?.title).toBe('Élection à Paris : le député a déclaré être très ému');
    expect(result.warnings).toEqual(['https://example.fr/rss: the Content-Type header says "utf-8" but the bytes are not UTF-8; read as windows-1252']);
  });
});

describe('GIVEN UTF-8 bytes', () => {
  it('THEN a wrong HTTP charset of ISO-8859-1 does not turn them into mojibake, and the mismatch is reported', () => {
    const result = parseFeed(Buffer.from(FRENCH, 'utf8'), { file: 'news.rss', contentType: 'text/xml; charset=ISO-8859-1', now: NOW });
    expect(result.items[0]?.title).toBe('Élection à Paris : le député a déclaré être très ému');
    expect(result.warnings).toEqual(['news.rss: the Content-Type header says "ISO-8859-1" but the bytes are UTF-8; read as UTF-8']);
  });

  it('THEN a byte-order mark is dropped', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<?xml version="1.0"?>${FRENCH}`, 'utf8')]);
    expect(titles(bytes)).toEqual(['Élection à Paris : le député a déclaré être très ému']);
  });

  it('THEN an unknown declared encoding is reported and ignored', () => {
    const result = parseFeed(Buffer.from(`<?xml version="1.0" encoding="klingon-8"?>${FRENCH}`, 'utf8'), { file: 'news.rss', now: NOW });
    expect(result.items).toHaveLength(1);
    expect(result.warnings).toEqual(['news.rss: the XML declaration names the encoding "klingon-8", which is unknown; it was ignored']);
  });
});

describe('GIVEN UTF-16 feeds', () => {
  it('THEN one with a byte-order mark is read', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`<?xml version="1.0" encoding="UTF-16"?>${RUSSIAN}`, 'utf-16le')]);
    expect(titles(bytes)[0]).toBe('В Москве открылась новая библиотека');
  });

  it('THEN one without a mark is recognised by its zero bytes', () => {
    expect(titles(iconv.encode(RUSSIAN, 'utf-16be'))[1]).toBe('Погода: в выходные ожидается снег');
  });
});
