/**
 * A local discussion site for tests (Reddit, Hacker News, a Discourse forum, a comment feed on
 * 127.0.0.1): routes answer with the status, headers and body a test gives, or a function of the
 * request; every request is recorded and counted, and the most requests in flight at once is kept.
 * Also a clock that records its waits instead of waiting, and a fetcher pointed at such a site.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseAllowList } from '../../src/adapters/feeds/allow.ts';
import { type DiscussionFetcherOptions, createDiscussionFetcher } from '../../src/adapters/discussions/fetch-discussion.ts';
import type { DiscussionFetcher } from '../../src/adapters/discussions/fetch-types.ts';
import type { Clock } from '../../src/adapters/discussions/http-gate.ts';
import { type LocalSite, serveLocally } from './http.ts';

export interface Answer {
  /** @default 200 */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or Buffer is sent as it is; anything else as JSON. */
  readonly body?: unknown;
  /** Never answer (a slow server): the connection stays open until the site closes. */
  readonly silent?: boolean;
  /** Wait this long before answering, so that requests overlap. */
  readonly delayMs?: number;
}

export interface SeenRequest {
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** An answer, or a function of the request and how many times its route was asked before (0 the first time). */
export type Route = Answer | ((request: SeenRequest, before: number) => Answer);

export interface DiscussionSite {
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  /** Answers `key`: a path with its query (matched first, exactly), or a path alone (any query). */
  route(key: string, answer: Route): void;
  /** Every request in order of arrival. */
  readonly requests: readonly SeenRequest[];
  /** Requests to a path (any query). */
  hits(path: string): number;
  /** The most requests that were being answered at the same time. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function serveDiscussionSite(): Promise<DiscussionSite> {
  const routes = new Map<string, Route>();
  const asked = new Map<string, number>();
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const site: LocalSite = await serveLocally((req, res) => {
    const seen: SeenRequest = { url: req.url ?? '/', headers: req.headers };
    requests.push(seen);
    const path = seen.url.split('?')[0] ?? '/';
    const key = routes.has(seen.url) ? seen.url : path;
    const route = routes.get(key);
    const before = asked.get(key) ?? 0;
    asked.set(key, before + 1);
    const answer: Answer = route === undefined ? { status: 404, body: 'no such route' } : typeof route === 'function' ? route(seen, before) : route;
    if (answer.silent) return;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const send = (): void => {
      inFlight -= 1;
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
      const type = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      res.writeHead(answer.status ?? 200, { 'Content-Type': type, ...answer.headers }).end(body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  return {
    base: site.base,
    route: (key, answer) => void routes.set(key, answer),
    requests,
    hits: (path) => requests.filter((r) => (r.url.split('?')[0] ?? '') === path).length,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => site.close(),
  };
}

export interface RecordingClock extends Clock {
  /** Every wait asked for, in ms, in order. */
  readonly slept: number[];
}

/** Starts at 2026-12-01 12:00 UTC and moves only when slept. */
export function recordingClock(): RecordingClock {
  let now = Date.parse('2026-12-01T12:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** No spacing unless a test asks for it, so that the waits a test sees are the ones it provoked. */
export const NO_SPACING = { reddit: 0, hackernews: 0, discourse: 0, 'comment-feed': 0 } as const;

/** A fetcher whose every platform is the local site at `base`, which it may reach (127.0.0.1 allowed). */
export function localFetcher(base: string, clock: Clock, options: DiscussionFetcherOptions = {}): DiscussionFetcher {
  return createDiscussionFetcher({
    redditBase: base,
    hackerNewsBase: base,
    algoliaBase: null,
    spacingMs: NO_SPACING,
    clock,
    ...options,
    limits: { allow: parseAllowList('127.0.0.1'), ...options.limits },
  });
}

export const NO_VALIDATORS = { etag: null, lastModified: null } as const;
