/**
 * The one shape every feed format is read into before it becomes an Article: what RSS, RDF, Atom
 * and JSON Feed say about an item, in order of preference, still raw (dates unparsed, HTML unconverted).
 */

/** Text as the feed gave it, with whether it is HTML (RSS descriptions, Atom type="html") or plain. */
export interface FeedText {
  readonly value: string;
  readonly html: boolean;
}

/** One item of any feed format, as the feed states it. */
export interface FeedEntry {
  /** 1-based position among the feed's items, for warnings. */
  readonly position: number;
  /** guid (RSS), rdf:about (RSS 1.0), id (Atom, JSON Feed). */
  readonly guid: string | null;
  /** The item's own link, possibly relative. */
  readonly link: string | null;
  readonly title: FeedText | null;
  /** Candidates for the body, best first: content:encoded before description, content before summary. */
  readonly texts: readonly FeedText[];
  /** Author names, in the feed's order. */
  readonly authors: readonly string[];
  /** Candidates for the publication date, best first, unparsed. */
  readonly dates: readonly string[];
  readonly language: string | null;
  /** slash:comments or thr:total: the comment count the site shows. */
  readonly commentCount: number | null;
  /** Where the site's discussion of the item is: <comments>, wfw:commentRss, Atom rel="replies". */
  readonly commentsUrl: string | null;
  /** Categories or tags as the feed names them, in its order: RSS <category>, dc:subject, Atom <category term>, JSON Feed tags. */
  readonly categories: readonly string[];
}

/** What a feed says about itself, as far as its items need it. */
export interface FeedInfo {
  readonly title: string | null;
  /**
   * What identifies the feed itself whatever URL it was fetched from: Atom's id, the RSS channel
   * link, RSS 1.0's rdf:about, JSON Feed's home_page_url or feed_url.
   */
  readonly identity: string | null;
  /** The site's link, a base for relative item links. */
  readonly link: string | null;
  readonly language: string | null;
  /** Feed-level authors, which Atom and JSON Feed items inherit when they name none. */
  readonly authors: readonly string[];
}

/** A feed document read by one of the format readers. */
export interface ReadFeed {
  readonly info: FeedInfo;
  readonly entries: readonly FeedEntry[];
}

/** The trimmed string, or null when it is missing or blank. */
export function present(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** Present strings, in order, without repeats. */
export function distinct(values: Iterable<string | number | null | undefined>): string[] {
  const out: string[] = [];
  for (const v of values) {
    const text = present(v);
    if (text !== null && !out.includes(text)) out.push(text);
  }
  return out;
}

/** A non-negative integer count, or null. */
export function count(value: number | string | null | undefined): number | null {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}
