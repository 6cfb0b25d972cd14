/**
 * Fetching a feed the way a well-behaved reader does: conditional requests (ETag,
 * Last-Modified), a timeout, a size cap, a bounded number of redirects, and a User-Agent that says
 * who is asking. Every failure comes back as a reason in plain words, never an exception.
 */
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../config.ts';

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

function megabytes(n: number): string {
  return `${Math.round((n / 1e6) * 10) / 10} MB`;
}

export async function fetchFeed(url: string, validators: Validators, limits: FetchLimits = {}): Promise<FetchResult> {
  const timeoutMs = limits.timeoutMs ?? 15_000;
  const maxBytes = limits.maxBytes ?? 10_000_000;
  const maxRedirects = limits.maxRedirects ?? 5;
  const signal = AbortSignal.timeout(timeoutMs);
  let current = url;
  try {
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5' };
      if (validators.etag) headers['If-None-Match'] = validators.etag;
      if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
      const response = await fetch(current, { headers, redirect: 'manual', signal });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) return { kind: 'failed', reason: `HTTP ${response.status} redirect without a Location header` };
        if (hops >= maxRedirects) return { kind: 'failed', reason: `more than ${maxRedirects} redirects (last to ${location})` };
        current = new URL(location, current).toString();
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: 'not-modified' };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { kind: 'failed', reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${current}` };
      }
      const body = await readCapped(response, maxBytes);
      if (body === null) return { kind: 'failed', reason: `the feed is larger than ${megabytes(maxBytes)}` };
      return {
        kind: 'fresh',
        body,
        contentType: response.headers.get('content-type'),
        url: current,
        validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
      };
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'failed', reason: `no complete answer within ${timeoutMs / 1000} s` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'failed', reason: `could not fetch ${current}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
