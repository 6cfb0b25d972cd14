/**
 * Fetching a feed the way a well-behaved reader does: conditional requests (ETag,
 * Last-Modified), a timeout, a size cap, a bounded number of redirects, and a User-Agent that says
 * who is asking. Every failure comes back as a reason in plain words, never an exception.
 *
 * Only http(s), and only public addresses unless allowed (see allow.ts), checked for every hop: an IP
 * literal before anything is sent, a host name on the address the connection is actually made to
 * (undici's `connect.lookup`), so a name that resolves to a public address when asked once and to
 * 127.0.0.1 when connected (DNS rebinding) is refused too.
 */
import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { Agent, type Headers, type Response, fetch } from 'undici';
import { PROJECT_ROOT } from '../../config.ts';
import { type AllowList, PUBLIC_ONLY, literalAddress, refusalOf } from './allow.ts';

const VERSION = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }).version;

/** Says what is asking, so a publisher can tell Paperboy from a browser. */
export const USER_AGENT = `Paperboy/${VERSION} (feed reader for Discord; Node.js ${process.version})`;

export interface FetchLimits {
  /** Default 15 s for the whole exchange, body included. */
  readonly timeoutMs?: number;
  /** Default 10 MB. */
  readonly maxBytes?: number;
  /** Default 5. */
  readonly maxRedirects?: number;
  /** Non-public hosts and ranges the feed may reach (FEED_ALLOW_HOSTS). Default: public addresses only. */
  readonly allow?: AllowList;
  /** Resolves host names; default the system resolver (`dns.lookup`). Tests give names addresses without DNS. */
  readonly lookup?: typeof dnsLookup;
}

/** A connection refused by the address rules; its message is the reason shown to the operator. */
class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

/**
 * Resolves as `dns.lookup` does, then keeps only the addresses the rules allow; with none left the
 * connection fails with the refusal, before any connection is opened.
 */
function guardedLookup(allow: AllowList, resolve: typeof dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter((a) => refusalOf(a.address, hostname, allow) === null);
      const first = allowed[0];
      if (!first) {
        const refusal = addresses[0] ? refusalOf(addresses[0].address, hostname, allow) : `refused: ${hostname} has no address`;
        return callback(new RefusedError(refusal ?? `refused: ${hostname}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, allowed);
      callback(null, first.address, first.family);
    });
  };
}

/** Why a URL is refused before anything is sent (its scheme, or an IP literal outside the rules), or null. */
function refusalBeforeConnecting(url: URL, allow: AllowList): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `refused: ${url.protocol} URLs are not fetched; a feed must be http or https`;
  // The URL parser has already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  const literal = literalAddress(url.hostname);
  return literal === null ? null : refusalOf(literal, url.hostname, allow);
}

export interface Validators {
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type FetchResult =
  | { readonly kind: 'fresh'; readonly body: Buffer; readonly contentType: string | null; readonly url: string; readonly validators: Validators }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'failed'; readonly reason: string };

async function readCapped(response: Response, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** At most `max` bytes from the start of the body; the rest is left unread (the caller cancels it). */
async function readStart(response: Response, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max);
}

function megabytes(n: number): string {
  return `${Math.round((n / 1e6) * 10) / 10} MB`;
}

/** What one capped GET sends besides the URL. */
export interface CappedRequest {
  /** The last fresh answer's validators, for a conditional request. */
  readonly validators?: Validators;
  readonly accept: string;
  /** Cuts the exchange short (shutdown); the timeout applies as well. */
  readonly signal?: AbortSignal;
  /** Names the body in the size refusal ("the feed", "the response from …"). Default "the response". */
  readonly what?: string;
  /** Read this much of a non-2xx answer's body (a bot wall's challenge page tells itself there). Default 0. */
  readonly errorBodyBytes?: number;
}

/**
 * Any answer the server gave after redirects, with its status and headers, so that a caller can read
 * 429s and rate-limit headers; the body only for 2xx (read up to the cap), empty otherwise.
 */
export type CappedResult =
  | { readonly kind: 'response'; readonly status: number; readonly statusText: string; readonly headers: Headers; readonly body: Buffer; readonly url: string }
  /** `refused` when the address rules stopped it before any connection was made. */
  | { readonly kind: 'failed'; readonly reason: string; readonly timedOut: boolean; readonly refused: boolean; readonly code?: string };

/** One GET under the address rules, the timeout, the size cap and the redirect bound; never throws. */
export async function fetchCapped(url: string, request: CappedRequest, limits: FetchLimits = {}): Promise<CappedResult> {
  const timeoutMs = limits.timeoutMs ?? 15_000;
  const maxBytes = limits.maxBytes ?? 10_000_000;
  const maxRedirects = limits.maxRedirects ?? 5;
  const allow = limits.allow ?? PUBLIC_ONLY;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const failed = (reason: string, how: { timedOut?: boolean; refused?: boolean; code?: string } = {}): CappedResult => ({
    kind: 'failed',
    reason,
    timedOut: how.timedOut ?? false,
    refused: how.refused ?? false,
    ...(how.code !== undefined && { code: how.code }),
  });
  // One agent per fetch, closed at the end: its lookup carries this fetch's rules.
  const agent = new Agent({ connect: { lookup: guardedLookup(allow, limits.lookup ?? dnsLookup) } });
  let current = url;
  try {
    for (let hops = 0; ; hops++) {
      let parsed: URL;
      try {
        parsed = new URL(current);
      } catch {
        return failed(`"${current}" is not a URL`);
      }
      const refused = refusalBeforeConnecting(parsed, allow);
      if (refused) return failed(hops === 0 ? refused : `${refused} (redirected from ${url})`, { refused: true });
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: request.accept };
      if (request.validators?.etag) headers['If-None-Match'] = request.validators.etag;
      if (request.validators?.lastModified) headers['If-Modified-Since'] = request.validators.lastModified;
      const response = await fetch(current, { headers, redirect: 'manual', signal, dispatcher: agent });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) return failed(`HTTP ${response.status} redirect without a Location header`);
        if (hops >= maxRedirects) return failed(`more than ${maxRedirects} redirects (last to ${location})`);
        try {
          current = new URL(location, current).toString();
        } catch {
          return failed(`HTTP ${response.status} redirect to "${location}", which is not a URL`);
        }
        continue;
      }
      const answer = { kind: 'response', status: response.status, statusText: response.statusText, headers: response.headers, url: current } as const;
      if (!response.ok) {
        const start = request.errorBodyBytes ? await readStart(response, request.errorBodyBytes) : Buffer.alloc(0);
        await response.body?.cancel();
        return { ...answer, body: start };
      }
      const body = await readCapped(response, maxBytes);
      if (body === null) return failed(`${request.what ?? 'the response'} is larger than ${megabytes(maxBytes)}`);
      return { ...answer, body };
    }
  } catch (error) {
    if (timeout.aborted) return failed(`no complete answer within ${timeoutMs / 1000} s`, { timedOut: true });
    if (request.signal?.aborted) return failed(`cancelled before ${current} answered`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause instanceof RefusedError) return failed(current === url ? cause.message : `${cause.message} (redirected from ${url})`, { refused: true });
    return failed(`could not fetch ${current}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { code: cause?.code });
  } finally {
    await agent.destroy();
  }
}

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * What a failed feed fetch saw, so that its cause can be told in plain words (app/feeds/reasons.ts):
 * the HTTP answer (status, headers, the start of its body) or the network error's code.
 */
export interface FetchFailure {
  readonly status: number | null;
  readonly headers: Headers | null;
  /** Up to ERROR_BODY_BYTES of an error answer's body, as Latin-1 (only ASCII markers are looked for). */
  readonly bodyStart: string;
  /** The system error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED…), when there was one. */
  readonly code: string | null;
  readonly timedOut: boolean;
  readonly refused: boolean;
}

export type DetailedFetchResult =
  Exclude<FetchResult, { kind: 'failed' }> | { readonly kind: 'failed'; readonly reason: string; readonly failure: FetchFailure };

const ERROR_BODY_BYTES = 4096;

export async function fetchFeed(url: string, validators: Validators, limits: FetchLimits = {}): Promise<FetchResult> {
  const got = await fetchFeedDetailed(url, validators, limits);
  return got.kind === 'failed' ? { kind: 'failed', reason: got.reason } : got;
}

/** fetchFeed, with what a failure saw (see FetchFailure). */
export async function fetchFeedDetailed(url: string, validators: Validators, limits: FetchLimits = {}): Promise<DetailedFetchResult> {
  const got = await fetchCapped(url, { validators, accept: FEED_ACCEPT, what: 'the feed', errorBodyBytes: ERROR_BODY_BYTES }, limits);
  if (got.kind === 'failed') {
    const { timedOut, refused } = got;
    return { kind: 'failed', reason: got.reason, failure: { status: null, headers: null, bodyStart: '', code: got.code ?? null, timedOut, refused } };
  }
  if (got.status === 304) return { kind: 'not-modified' };
  if (got.status < 200 || got.status >= 300) {
    const failure = { status: got.status, headers: got.headers, bodyStart: got.body.toString('latin1'), code: null, timedOut: false, refused: false };
    return { kind: 'failed', reason: `HTTP ${got.status}${got.statusText ? ` ${got.statusText}` : ''} from ${got.url}`, failure };
  }
  return {
    kind: 'fresh',
    body: got.body,
    contentType: got.headers.get('content-type'),
    url: got.url,
    validators: { etag: got.headers.get('etag'), lastModified: got.headers.get('last-modified') },
  };
}
