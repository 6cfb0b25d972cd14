import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Article, bodyText } from '../src/core/model.ts';
import type { Article as ArticleType } from '../src/core/model.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

const NOW = new Date('2024-05-01T12:00:00.000Z');

function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url));
}

/** Items counted straight from the bytes: start tags of <item> (RSS, RDF) or <entry> (Atom), not <items>. */
function countItems(bytes: Buffer): number {
  return bytes.toString('latin1').match(/<(?:item|entry)[\s>]/g)?.length ?? 0;
}

interface Expected {
  readonly index: number;
  readonly title: string;
  readonly url: string;
  readonly publishedAt: string | null;
  readonly author?: string | null;
  /** The start of the item's text, or '' for an item without text. */
  readonly text: string;
}

interface FeedCase {
  readonly file: string;
  readonly title: string;
  readonly items: readonly Expected[];
  /** Warnings expected besides none. */
  readonly warnings?: readonly RegExp[];
}

const FEEDS: readonly FeedCase[] = [
  {
    file: 'rss-parser__content-encoded.rss',
    title: 'Food in Invironment on Medium',
    items: [
      // content:encoded (a Medium post with <h4> headings) is read, not the short description.
      {
        index: 0,
        title: 'THE CREATIVE FORAGER',
        url: 'https://medium.com/invironment/the-creative-forager-125af37d838f?source=rss----d12c403d4976--food',
        publishedAt: '2018-04-09T18:55:38Z',
        author: 'Jeremy Puma',
        text: 'Using Wild Ingredients in the Kitchen',
      },
      {
        index: 6,
        title: 'Wild Flavors All Year Round',
        url: 'https://medium.com/invironment/wild-flavors-all-year-round-71769186b899?source=rss----d12c403d4976--food',
        publishedAt: '2017-12-01T18:38:32Z',
        author: 'Jeremy Puma',
        text: 'The Mad Forager’s Kitchen',
      },
    ],
  },
  {
    file: 'rss-parser__craigslist.rss',
    title: 'craigslist SF bay area | apts/housing for rent search',
    items: [
      // The CDATA title holds HTML: "&#x0024;4300 3bd 1930ft<sup>2</sup>".
      {
        index: 0,
        title: 'Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2',
        url: 'http://sfbay.craigslist.org/eby/apa/6186664607.html',
        publishedAt: '2017-06-21T17:33:10Z',
        author: null,
        text: 'Updated 3+ Bedroom, 2.5 Bath, Victorian home.',
      },
      {
        index: 24,
        title: '1BD/1BA, Top floor,Private Bal.,Hardwood,Dishwasher,Parking,Laundry (oakland lake merritt / grand) $1950 1bd 625ft2',
        url: 'http://sfbay.craigslist.org/eby/apa/6170845890.html',
        publishedAt: '2017-06-21T17:31:19Z',
        text: 'If you are interested in scheduling a viewing appointment',
      },
    ],
  },
  {
    file: 'rss-parser__encoding.rss',
    title: 'Jornal de Notícias - Últimas Notícias',
    items: [
      {
        index: 0,
        title: 'Mãe de utente é a nova presidente da Raríssimas',
        url: 'http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html',
        publishedAt: '2018-01-03T13:47:00Z',
        text: 'Sónia Laygue, profissional na área da Recursos Humanos e mãe de uma criança de três anos',
      },
      // Its description is only a tracking pixel: no text, and nothing invented.
      {
        index: 1,
        title: 'Reações dos partidos ao veto de Marcelo',
        url: 'http://feeds.jn.pt/~r/JN-ULTIMAS/~3/GfXqkJnHUcM/reacoes-dos-partidos-ao-veto-de-marcelo-ao-financiamento-partidario-9021587.html',
        publishedAt: '2018-01-03T13:48:00Z',
        text: '',
      },
      {
        index: 39,
        title: 'Lisboa quer passes sociais com acesso a táxis e bicicletas',
        url: 'http://feeds.jn.pt/~r/JN-ULTIMAS/~3/hnN67UdsoYw/lisboa-quer-passes-sociais-com-acesso-a-taxis-e-bicicletas-9020740.html',
        publishedAt: '2018-01-03T00:25:00Z',
        text: 'A Câmara da capital vai criar pacotes de mobilidade em 2018',
      },
    ],
  },
  {
    file: 'rss-parser__feedburner.atom',
    title: 'Google Ads Developer Blog',
    items: [
      {
        index: 0,
        title: 'AdWords and DFP Java client library will soon require Java 7+',
        url: 'http://feedproxy.google.com/~r/blogspot/lQlzL/~3/Zjf41PDVLAc/adwords-and-dfp-java-client-library.html',
        publishedAt: '2016-06-03T14:38:00Z',
        author: 'Google Ads Developer Advisor',
        text: 'After November 2016, all releases of the Google Ads API Java Client Library (https://github.com/googleads/googleads-java-lib) will only be compatible with Java 7 (1.7) and higher.',
      },
      {
        index: 24,
        title: 'Using the Google My Business API to manage your location extensions',
        url: 'http://feedproxy.google.com/~r/blogspot/lQlzL/~3/84XhteoQdCg/using-google-my-business-api-to-manage.html',
        publishedAt: '2015-10-15T11:20:00.001Z',
        text: 'Last year, we announced upgraded location extensions (http://googleads',
      },
    ],
  },
  {
    file: 'rss-parser__guardian.rss',
    title: 'The Guardian',
    items: [
      {
        index: 0,
        title: 'Trump State of the Union address promised unity but emphasized discord',
        url: 'https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord',
        publishedAt: '2018-01-31T07:26:05Z',
        author: 'David Smith in Washington',
        text: 'The president’s ‘new American moment’ speech stirred Republican applause',
      },
      {
        index: 54,
        title: "Earth's ultimate yogis – in pictures",
        url: 'https://www.theguardian.com/artanddesign/gallery/2018/jan/31/earths-ultimate-yogis-in-pictures-yoga',
        publishedAt: '2018-01-31T07:00:20Z',
        author: null,
        text: 'Worried that fitness obsessives were making yoga too commercial',
      },
    ],
  },
  {
    file: 'rss-parser__heise.atom',
    title: 'heise developer neueste Meldungen',
    items: [
      // The feed-level <author> applies to entries that name none (Atom, RFC 4287 section 4.2.1).
      {
        index: 0,
        title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
        url: 'http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom',
        publishedAt: '2016-02-01T16:22:00Z',
        author: 'heise online',
        text: 'Die nun verfügbare Version 10 des Enterprise-Java-Servers',
      },
      {
        index: 14,
        title: 'Apache Software Foundation bekommt ein neues Logo',
        url: 'http://www.heise.de/developer/meldung/Apache-Software-Foundation-bekommt-ein-neues-Logo-3086458.html?wt_mc=rss.developer.beitrag.atom',
        publishedAt: '2016-01-28T16:07:00Z',
        author: 'heise online',
        text: 'Das neue Logos soll zugleich',
      },
    ],
  },
  {
    file: 'rss-parser__heraldsun.rss',
    title: 'RSS0.92 Example',
    items: [
      { index: 0, title: 'The First Item', url: 'http://www.oreilly.com/example/001.html', publishedAt: null, author: null, text: 'This is the first item.' },
      { index: 1, title: 'The Second Item', url: 'http://www.oreilly.com/example/002.html', publishedAt: null, author: null, text: 'This is the second item.' },
    ],
  },
  {
    file: 'rss-parser__reddit.rss',
    title: 'reddit: the front page of the internet',
    items: [
      {
        index: 0,
        title: 'The water is too deep, so he improvises',
        url: 'https://www.reddit.com/r/funny/comments/3skxqc/the_water_is_too_deep_so_he_improvises/',
        publishedAt: '2015-11-12T21:16:39Z',
        text: 'submitted by cakebeerandmorebeer (https://www.reddit.com/user/cakebeerandmorebeer) to funny (https://www.reddit.com/r/funny/)',
      },
      {
        index: 23,
        title: '"The best years of your life..." [Image]',
        url: 'https://www.reddit.com/r/GetMotivated/comments/3sjgv1/the_best_years_of_your_life_image/',
        publishedAt: '2015-11-12T15:09:19Z',
        text: 'submitted by ErikBech (https://www.reddit.com/user/ErikBech)',
      },
    ],
  },
  {
    file: 'rss-parser__rss-1.rss',
    title: 'Science twis',
    items: [
      // dc:date with an offset, dc:creator; the description is an empty CDATA.
      {
        index: 0,
        title: 'Food for fungi',
        url: 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
        publishedAt: '2017-06-15T17:29:47Z',
        author: 'Hines, P. J.',
        text: '',
      },
      {
        index: 68,
        title: 'Creating a weakness in prostate cancer',
        url: 'http://science.sciencemag.org/cgi/content/short/356/6340/816-o?rss=1',
        publishedAt: '2017-05-25T17:24:10Z',
        author: 'Ferrarelli, L. K.',
        text: '',
      },
    ],
  },
  {
    file: 'rss-parser__uolNoticias.rss',
    title: 'UOL Noticias',
    items: [
      // "Seg, 24 Set 2018 19:42:40 -0300": Portuguese day and month names.
      {
        index: 0,
        title: 'Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno',
        url: 'https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm',
        publishedAt: '2018-09-24T22:42:40Z',
        text: 'Líder na pesquisa Ibope de intenção de voto',
      },
      {
        index: 14,
        title: 'Fama "A" é campeã da Primeira Divisão da Copa Cidade Alta de Futebol Suíço',
        url: 'https://tnonline.uol.com.br/noticias/apucarana/45,470926,24,09,fama-a-e-campea-da-primeira-divisao-da-copa-cidade-alta-de-futebol-suico',
        publishedAt: '2018-09-24T22:18:49Z',
        text: 'om a Arena Fama lotada',
      },
    ],
    warnings: [/^rss-parser__uolNoticias\.rss: no encoding declared and the bytes are not UTF-8; read as windows-1252$/],
  },
];

describe.each(FEEDS)('GIVEN the real feed $file', (feed) => {
  const bytes = fixture(feed.file);
  const result = parseFeed(bytes, { file: feed.file, now: NOW });

  it('THEN every item is read, as a valid Article, with the feed title as source', () => {
    expect(result.items).toHaveLength(countItems(bytes));
    expect(result.title).toBe(feed.title);
    for (const article of result.items) {
      expect(Article.parse(article)).toEqual(article);
      expect(article.source).toBe(feed.title);
      expect(article.ingestedAt).toBe(NOW.toISOString());
    }
    expect(new Set(result.items.map((a) => a.id)).size).toBe(result.items.length);
  });

  it('THEN it warns about nothing but what is odd about it', () => {
    expect(result.warnings).toHaveLength(feed.warnings?.length ?? 0);
    feed.warnings?.forEach((w, i) => expect(result.warnings[i]).toMatch(w));
  });

  it.each(feed.items)('THEN item $index has its exact title, link, date and text', (expected) => {
    const article: ArticleType | undefined = result.items[expected.index];
    expect(article).toMatchObject({ title: expected.title, url: expected.url, publishedAt: expected.publishedAt });
    if (expected.author !== undefined) expect(article?.author).toBe(expected.author);
    const text = article ? bodyText(article) : '';
    if (expected.text === '') expect(text).toBe('');
    else expect(text.slice(0, expected.text.length)).toBe(expected.text);
  });

  it('THEN parsing it again gives the same Articles', () => {
    expect(parseFeed(bytes, { file: feed.file, now: NOW }).items).toEqual(result.items);
  });
});

describe('GIVEN the real feeds with odd encodings and shapes', () => {
  const read = (file: string): ArticleType[] => parseFeed(fixture(file), { file, now: NOW }).items;
  const allText = (items: ArticleType[]): string => items.map((a) => `${a.title}\n${bodyText(a)}`).join('\n');

  it('THEN ISO-8859-1 text, declared (encoding.rss) or not (uolNoticias.rss), has its accented letters', () => {
    const jn = allText(read('rss-parser__encoding.rss'));
    const uol = allText(read('rss-parser__uolNoticias.rss'));
    expect(jn).toContain('Raríssimas');
    expect(uol).toContain('simulações');
    // U+FFFD or "Ã" followed by another letter is what a wrong decoding leaves behind.
    for (const text of [jn, uol]) expect(text).not.toMatch(/\uFFFD|Ã[\u0080-\u00BF]/);
  });

  it('THEN uolNoticias.rss really has no XML declaration and bytes that are not UTF-8', () => {
    const bytes = fixture('rss-parser__uolNoticias.rss');
    expect(bytes.toString('latin1').trimStart().slice(0, 5)).toBe('<rss>');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
  });

  it('THEN reddit.rss, all on one line, gives all its items', () => {
    const bytes = fixture('rss-parser__reddit.rss');
    expect(bytes.toString('utf8').trim().split('\n')).toHaveLength(1);
    expect(read('rss-parser__reddit.rss')).toHaveLength(24);
  });

  it('THEN heraldsun.rss (RSS 0.92, undated items) gives no dates rather than invented ones', () => {
    expect(read('rss-parser__heraldsun.rss').map((a) => a.publishedAt)).toEqual([null, null]);
  });

  it('THEN the RDF feeds give each item its dc:language', () => {
    expect(new Set(read('rss-parser__craigslist.rss').map((a) => a.language))).toEqual(new Set(['en-us']));
  });

  it('THEN HTML links stay links, as text and URL', () => {
    const [first] = read('rss-parser__guardian.rss');
    expect(first?.body.map((b) => b.text)).toContain(
      'Continue reading... (https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord)',
    );
  });
});
