/**
 * Why a feed could not be read, in words a server owner understands: a bot wall, a missing or
 * removed feed, a rate limit with its retry time, a server error, TLS, a timeout, DNS, a refused
 * address, a web page where a feed should be, or the line where the XML breaks. The technical
 * detail stays in the feed's `lastError`; this is what /feed list and the health channel show.
 */
import type { FetchFailure } from '../../adapters/feeds/fetch.ts';

export type ProblemKind =
  | 'bot-wall'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'gone'
  | 'rate-limited'
  | 'server-error'
  | 'http'
  | 'tls'
  | 'timeout'
  | 'dns'
  | 'connect'
  | 'refused'
  | 'too-large'
  | 'not-a-feed'
  | 'parse-error'
  | 'other';

export interface FeedProblem {
  readonly kind: ProblemKind;
  /** One sentence without a full stop, e.g. `blocked by Cloudflare's bot check (HTTP 403)`. */
  readonly reason: string;
  /** When the site asked to be asked again (429 Retry-After), ISO; absent when it did not say. */
  readonly retryAt?: string;
}

/** The longest wait a Retry-After is taken at: a site asking for more is asked again after this. */
const MAX_RETRY_AFTER_MS = 7 * 24 * 60 * 60_000;

/** Bot walls by a header only they send (lower-case names), checked in order. */
const WALL_HEADERS: readonly (readonly [header: string, wall: string])[] = [
  ['cf-mitigated', 'Cloudflare'],
  ['cf-ray', 'Cloudflare'],
  ['x-datadome', 'DataDome'],
  ['x-sucuri-id', 'Sucuri'],
  ['x-iinfo', 'Imperva'],
];
/** Bot walls by their `server` header, lower-cased. */
const WALL_SERVERS: readonly (readonly [server: string, wall: string])[] = [
  ['cloudflare', 'Cloudflare'],
  ['akamaighost', 'Akamai'],
  ['datadome', 'DataDome'],
];
/** Bits of a challenge page (plain substrings of its first bytes). */
const CHALLENGE_MARKERS = ['challenge-platform', '_cf_chl_opt', 'cf-chl-', 'Just a moment...', 'Attention Required! | Cloudflare'];

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);
const TLS_CODE_STARTS = ['CERT_', 'ERR_TLS_', 'ERR_SSL_', 'UNABLE_TO_', 'DEPTH_ZERO_', 'SELF_SIGNED_', 'HOSTNAME_MISMATCH', 'EPROTO'];

/** The bot wall that answered, by its headers or challenge page; null when none is recognised. */
function botWall(failure: FetchFailure): string | null {
  const headers = failure.headers;
  if (headers) {
    for (const [header, wall] of WALL_HEADERS) if (headers.get(header) !== null) return wall;
    const server = headers.get('server')?.toLowerCase() ?? '';
    for (const [name, wall] of WALL_SERVERS) if (server.includes(name)) return wall;
  }
  return CHALLENGE_MARKERS.some((m) => failure.bodyStart.includes(m)) ? 'Cloudflare' : null;
}

/** A Retry-After header (seconds, or an HTTP date) as the time to try again, capped; null when absent or unreadable. */
export function retryAfter(value: string | null | undefined, now: Date): Date | null {
  if (!value) return null;
  const text = value.trim();
  const ms = /^\d{1,10}$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now.getTime();
  if (!Number.isFinite(ms)) return null;
  return new Date(now.getTime() + Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS));
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function httpProblem(status: number, failure: FetchFailure, now: Date): FeedProblem {
  const wall = status === 403 || status === 503 || status === 429 ? botWall(failure) : null;
  // A 503 or 429 from a wall is a challenge only when it says so; a plain one is the site's own.
  if (wall && (status === 403 || CHALLENGE_MARKERS.some((m) => failure.bodyStart.includes(m)) || failure.headers?.get('cf-mitigated') === 'challenge'))
    return { kind: 'bot-wall', reason: `blocked by ${wall}'s bot check (HTTP ${status}): the site turns away automated readers such as Paperboy` };
  if (status === 401) return { kind: 'login', reason: 'the site asks for a login (HTTP 401)' };
  if (status === 403) return { kind: 'forbidden', reason: 'the site refuses to serve the feed to Paperboy (HTTP 403 Forbidden)' };
  if (status === 404) return { kind: 'not-found', reason: 'not found (HTTP 404): the feed’s address may have changed' };
  if (status === 410) return { kind: 'gone', reason: 'gone (HTTP 410): the site says this feed was removed for good' };
  if (status === 429) {
    const at = retryAfter(failure.headers?.get('retry-after'), now);
    const reason = `rate limited (HTTP 429): the site asks Paperboy to wait${at ? ` until ${utc(at)}` : ''}`;
    return at ? { kind: 'rate-limited', reason, retryAt: at.toISOString() } : { kind: 'rate-limited', reason };
  }
  if (status >= 500) return { kind: 'server-error', reason: `the site’s server failed (HTTP ${status})` };
  return { kind: 'http', reason: `the site answered HTTP ${status} instead of the feed` };
}

/** A failed fetch in plain words; `reason` is fetchFeed's technical one, kept where nothing plainer fits. */
export function fetchProblem(reason: string, failure: FetchFailure, url: string, now: Date): FeedProblem {
  if (failure.status !== null) return httpProblem(failure.status, failure, now);
  if (failure.timedOut) return { kind: 'timeout', reason: `timed out: ${reason}` };
  // The address rules' refusal says which rule and how to allow it already.
  if (failure.refused) return { kind: 'refused', reason };
  const code = failure.code ?? '';
  const host = hostOf(url);
  if (DNS_CODES.has(code)) return { kind: 'dns', reason: `the site’s name ${host} was not found (DNS: ${code})` };
  if (TLS_CODE_STARTS.some((start) => code.startsWith(start))) return { kind: 'tls', reason: `a secure (TLS) connection to ${host} failed (${code})` };
  if (code.startsWith('E')) return { kind: 'connect', reason: `could not connect to ${host} (${code})` };
  if (reason.includes('larger than')) return { kind: 'too-large', reason };
  return { kind: 'other', reason };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/**
 * A parse failure in plain words, from the parser's message (it crosses the parse worker as text):
 * `URL: expected …` or `URL:LINE: expected …`, where a fault's place reads `at line N, column C`.
 */
export function parseProblem(message: string, url: string): FeedProblem {
  let rest = message.startsWith(url) ? message.slice(url.length) : message;
  let line: string | null = null;
  const numbered = /^:(\d{1,9}): /.exec(rest);
  if (numbered) {
    line = numbered[1] ?? null;
    rest = rest.slice(numbered[0].length);
  } else if (rest.startsWith(': ')) rest = rest.slice(2);
  const expected = rest.startsWith('expected ') ? rest.slice('expected '.length) : rest;
  const at = / at line (\d{1,9}), column (\d{1,9}): /.exec(expected);
  if (at) return { kind: 'parse-error', reason: `the feed is broken at line ${at[1]} (column ${at[2]}): ${expected.slice(at.index + at[0].length)}` };
  if (line !== null) return { kind: 'parse-error', reason: `the feed is broken at line ${line}: expected ${expected}` };
  const page = expected.indexOf('got an HTML page');
  if (page >= 0) return { kind: 'not-a-feed', reason: `not a feed: the address serves a web page${expected.slice(page + 'got an HTML page'.length)}` };
  if (rest.startsWith('expected ')) return { kind: 'not-a-feed', reason: `not a feed: expected ${expected}` };
  return { kind: 'other', reason: `could not be read: ${rest}` };
}
