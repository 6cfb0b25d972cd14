/** What the platform fetchers share: their context, and turning answers and parse errors into FetchedDiscussion. */
import type { Validators } from '../feeds/fetch.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import type { FetchedDiscussion } from './fetch-types.ts';
import type { FetchSession, GetResult } from './http-run.ts';
import type { DiscussionParser } from './parse-worker.ts';
import type { Discussion, DiscussionKind } from './types.ts';

/** Options with defaults applied, as the platform fetchers read them. */
export interface ResolvedOptions {
  readonly redditBase: string;
  readonly hackerNewsBase: string;
  readonly algoliaBase: string | null;
  readonly hackerNewsConcurrency: number;
  spacing(kind: DiscussionKind): number;
}

export interface PlatformContext {
  readonly session: FetchSession;
  readonly options: ResolvedOptions;
  readonly parseOptions: ParseOptions;
  /** Where every answer is parsed: a worker thread in the product, inline in tests (parse-worker.ts). */
  readonly parser: DiscussionParser;
  /** The last fresh fetch's, for the conditional request to the discussion's main address. */
  readonly validators: Validators;
}

type Ok = Extract<GetResult, { kind: 'ok' }>;
type Failed = Extract<GetResult, { kind: 'failed' }>;

export function failedFrom(got: Failed, session: FetchSession): FetchedDiscussion {
  return { outcome: 'failed', reason: got.reason, retryAt: got.retryAt === null ? null : new Date(got.retryAt).toISOString(), requests: session.requests };
}

export function validatorsOf(got: Ok): Validators {
  return { etag: got.headers.get('etag'), lastModified: got.headers.get('last-modified') };
}

/** The body as JSON; throws an Error naming the address when it is not JSON. */
export function jsonOf(got: Ok): unknown {
  try {
    return JSON.parse(got.body.toString('utf8')) as unknown;
  } catch (error) {
    throw new Error(`${got.url}: expected JSON, got ${got.body.length} bytes that are not (${(error as Error).message.slice(0, 120)})`, { cause: error });
  }
}

/** The main answer parsed (and extended by `more`) into a fresh result, or failed with the parser's message. */
export async function parsed(
  session: FetchSession,
  main: Ok,
  parse: () => Discussion | Promise<Discussion>,
  more?: (d: Discussion) => Promise<Discussion>,
): Promise<FetchedDiscussion> {
  let discussion: Discussion;
  try {
    discussion = await parse();
    if (more) discussion = await more(discussion);
  } catch (error) {
    return { outcome: 'failed', reason: (error as Error).message, retryAt: null, requests: session.requests };
  }
  return { outcome: 'fresh', discussion, validators: validatorsOf(main), requests: session.requests };
}

/** A warning about a request that did not bring its part, in the parsers' `where: what` form. */
export function partWarning(where: string, what: string, got: Failed): string {
  return `${where}: ${what} not fetched: ${got.reason}`;
}
