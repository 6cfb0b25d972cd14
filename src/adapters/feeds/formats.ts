/**
 * feedsmith's per-format output (RSS 0.9x/2.0, RSS 0.90/1.0 RDF, Atom, JSON Feed, with the dc,
 * content, slash and thr namespaces) to {@link FeedEntry}. Only the choice of fields and their order
 * of preference lives here; text, dates and identity are handled downstream, the same for all formats.
 */
import type { AtomFeed, JsonFeed, RdfFeed, RssFeed } from 'feedsmith';
import { htmlToLine, collapse } from './html.ts';
import { count, distinct, present } from './entry.ts';
import type { FeedEntry, FeedText, ReadFeed } from './entry.ts';

type Rss = RssFeed.Feed<string>;
type Rdf = RdfFeed.Feed<string>;
type Atom = AtomFeed.Feed<string>;
type Json = JsonFeed.Feed<string>;

/** RSS 0.91–0.94 and 2.0. */
export function readRss(feed: Rss): ReadFeed {
  const entries = (feed.items ?? []).map((item, i): FeedEntry => {
    const guid = present(item.guid?.value);
    // A guid is a permalink unless it says otherwise (RSS 2.0), so it can stand in for a missing link.
    const guidLink = item.guid?.isPermaLink !== false && guid !== null && /^https?:\/\//i.test(guid) ? guid : null;
    return {
      position: i + 1,
      guid,
      link: present(item.link) ?? guidLink,
      title: htmlTitle(item.title),
      texts: texts([item.content?.encoded, true], [item.description, true]),
      // dc:creator holds names; <author> is an email address with the name in brackets, if at all.
      authors: firstOf(distinct(item.dc?.creators ?? []), distinct((item.authors ?? []).map((a) => a.name ?? a.email))),
      dates: distinct([item.pubDate, ...(item.dc?.dates ?? []), item.atom?.published, item.atom?.updated]),
      language: present(item.dc?.languages?.[0]),
      commentCount: count(item.slash?.comments) ?? count(item.thr?.total),
      commentsUrl: present(item.comments) ?? present(item.wfw?.commentRss),
      categories: distinct([...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])]),
    };
  });
  const title = lineOf(feed.title);
  return {
    info: { title, identity: present(feed.link), link: present(feed.link), language: present(feed.language) ?? present(feed.dc?.languages?.[0]), authors: [] },
    entries,
  };
}

/** RSS 1.0 and 0.90, both RDF documents. */
export function readRdf(feed: Rdf): ReadFeed {
  const entries = (feed.items ?? []).map((item, i): FeedEntry => ({
    position: i + 1,
    guid: present(item.rdf?.about),
    link: present(item.link) ?? present(item.rdf?.about),
    title: htmlTitle(item.title ?? item.dc?.titles?.[0]),
    texts: texts([item.content?.encoded, true], [item.description, true], [item.dc?.descriptions?.[0], true]),
    authors: distinct(item.dc?.creators ?? []),
    dates: distinct([...(item.dc?.dates ?? []), ...(item.dcterms?.issued ?? []), ...(item.dcterms?.created ?? []), item.atom?.published, item.atom?.updated]),
    language: present(item.dc?.languages?.[0]),
    commentCount: count(item.slash?.comments),
    commentsUrl: present(item.wfw?.commentRss),
    categories: distinct(item.dc?.subjects ?? []),
  }));
  const title = lineOf(feed.title ?? feed.dc?.titles?.[0]);
  const link = present(feed.link);
  return {
    info: { title, identity: present(feed.rdf?.about) ?? link, link, language: present(feed.dc?.languages?.[0]), authors: [] },
    entries,
  };
}

/** Atom 1.0 (RFC 4287); entries without authors inherit the feed's. */
export function readAtom(feed: Atom): ReadFeed {
  const feedLanguage = present(feed.xml?.lang);
  const entries = (feed.entries ?? []).map((entry, i): FeedEntry => {
    const content = entry.content?.src ? undefined : entry.content;
    return {
      position: i + 1,
      guid: present(entry.id),
      link: alternateLink(entry.links),
      title: entry.title ? { value: entry.title.value, html: isHtmlType(entry.title.type) } : null,
      texts: texts([content?.value, isHtmlType(content?.type)], [entry.summary?.value, isHtmlType(entry.summary?.type)]),
      authors: distinct([...(entry.authors ?? []).map((a) => a.name), ...(entry.dc?.creators ?? [])]),
      dates: distinct([entry.published, ...(entry.dc?.dates ?? []), entry.updated]),
      language: present(entry.xml?.lang),
      commentCount: count(entry.thr?.total) ?? count(entry.slash?.comments) ?? count(entry.links?.find((l) => l.rel === 'replies')?.thr?.count),
      commentsUrl: present(entry.links?.find((l) => l.rel === 'replies')?.href),
      // The term is the category; the label only its display name, used when a feed gives no term.
      categories: distinct([...(entry.categories ?? []).map((c) => c.term ?? c.label), ...(entry.dc?.subjects ?? [])]),
    };
  });
  const title = feed.title ? atomLine(feed.title) : null;
  return {
    info: {
      title,
      identity: present(feed.id) ?? alternateLink(feed.links),
      link: alternateLink(feed.links),
      language: feedLanguage,
      authors: distinct((feed.authors ?? []).map((a) => a.name)),
    },
    entries,
  };
}

/** JSON Feed 1.0 and 1.1 (1.0's single `author` is read by feedsmith into `authors`). */
export function readJson(feed: Json): ReadFeed {
  const entries = (feed.items ?? []).map((item, i): FeedEntry => ({
    position: i + 1,
    guid: present(item.id),
    link: present(item.url) ?? present(item.external_url),
    title: item.title === undefined ? null : { value: item.title, html: false },
    texts: texts([item.content_html, true], [item.content_text, false], [item.summary, false]),
    authors: distinct((item.authors ?? []).map((a) => a.name)),
    dates: distinct([item.date_published, item.date_modified]),
    language: present(item.language),
    commentCount: null,
    commentsUrl: null,
    categories: distinct(item.tags ?? []),
  }));
  const title = present(feed.title);
  return {
    info: {
      title,
      identity: present(feed.home_page_url) ?? present(feed.feed_url),
      link: present(feed.home_page_url),
      language: present(feed.language),
      authors: distinct((feed.authors ?? []).map((a) => a.name)),
    },
    entries,
  };
}

/** The first list that is not empty. */
function firstOf(...lists: string[][]): string[] {
  return lists.find((l) => l.length > 0) ?? [];
}

/** Body candidates that are present, best first. */
function texts(...candidates: [string | undefined, boolean][]): FeedText[] {
  return candidates.flatMap(([value, html]) => (present(value) === null ? [] : [{ value: value ?? '', html }]));
}

/** RSS titles are often HTML (entities, <sup>, escaped twice); the conversion leaves plain titles alone. */
function htmlTitle(value: string | undefined): FeedText | null {
  return present(value) === null ? null : { value: value ?? '', html: true };
}

function lineOf(value: string | undefined): string | null {
  return present(value) === null ? null : present(htmlToLine(value ?? ''));
}

function atomLine(text: AtomFeed.Text): string | null {
  return present(isHtmlType(text.type) ? htmlToLine(text.value) : collapse(text.value));
}

/** Atom's type is "text", "html", "xhtml" or a MIME type; only text means plain text. */
function isHtmlType(type: string | undefined): boolean {
  const t = (type ?? 'text').trim().toLowerCase();
  return t === 'html' || t === 'xhtml' || t.includes('html');
}

/** The alternate link (the page itself), preferring an HTML one; Atom's default rel is alternate. */
function alternateLink(links: readonly AtomFeed.Link<string>[] | undefined): string | null {
  const alternates = (links ?? []).filter((l) => (l.rel ?? 'alternate') === 'alternate' && present(l.href) !== null);
  const best = alternates.find((l) => (l.type ?? 'text/html').includes('html')) ?? alternates[0];
  return present(best?.href);
}
