/**
 * Discord's rate limits as fixed windows: one bucket per route and major parameter (a channel, an
 * interaction token), plus one global window per bot that interaction routes are exempt from.
 * Every answer carries the `X-RateLimit-*` headers discord.js plans by; a refusal also carries
 * `Retry-After` and `X-RateLimit-Scope`.
 */
import { createHash } from 'node:crypto';
import type { RateLimitWindow } from './types.ts';

export type RateLimitScope = 'user' | 'global' | 'shared';

/** Which bucket a request falls in. */
export interface BucketKey {
  /** The `X-RateLimit-Bucket` value: stable per method and route. */
  readonly hash: string;
  /** The major parameter's value (a channel id, an interaction token), or '' for none. */
  readonly major: string;
  readonly window: RateLimitWindow;
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
  readonly remaining?: number;
  /** Set on a refusal. */
  readonly scope?: RateLimitScope;
  readonly retryAfterMs?: number;
}

interface WindowState {
  used: number;
  resetAt: number;
}

/** The bucket hash Discord would answer for a route: opaque, stable, 32 hex digits. */
export function bucketHash(method: string, route: string): string {
  return createHash('md5').update(`${method} ${route}`).digest('hex');
}

/** Seconds with millisecond precision, as the headers carry them. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The headers and body of a 429. */
export function tooManyRequests(
  retryAfterMs: number,
  scope: RateLimitScope,
  extraHeaders: Record<string, string> = {},
): { headers: Record<string, string>; body: Record<string, unknown> } {
  const global = scope === 'global';
  const headers: Record<string, string> = { ...extraHeaders, 'Retry-After': seconds(retryAfterMs), 'X-RateLimit-Scope': scope };
  if (global) headers['X-RateLimit-Global'] = 'true';
  return { headers, body: { message: 'You are being rate limited.', retry_after: Number(seconds(retryAfterMs)), global } };
}

export class RateLimiter {
  readonly #buckets = new Map<string, WindowState>();
  readonly #global: WindowState = { used: 0, resetAt: 0 };

  constructor(
    private readonly globalWindow: RateLimitWindow,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from `key`'s bucket (and from the global window unless `exemptFromGlobal`). */
  take(key: BucketKey, exemptFromGlobal: boolean): RateDecision {
    const now = this.now();
    if (!exemptFromGlobal) {
      const global = refresh(this.#global, this.globalWindow, now);
      if (global.used >= this.globalWindow.limit) {
        const retryAfterMs = global.resetAt - now;
        return { allowed: false, scope: 'global', retryAfterMs, ...tooManyRequests(retryAfterMs, 'global') };
      }
    }
    const id = `${key.hash}:${key.major}`;
    const bucket = refresh(this.#buckets.get(id) ?? { used: 0, resetAt: 0 }, key.window, now);
    this.#buckets.set(id, bucket);
    if (bucket.used >= key.window.limit) {
      const retryAfterMs = bucket.resetAt - now;
      const headers = bucketHeaders(key, bucket, now);
      return { allowed: false, scope: 'user', retryAfterMs, remaining: 0, ...tooManyRequests(retryAfterMs, 'user', headers) };
    }
    bucket.used++;
    if (!exemptFromGlobal) this.#global.used++;
    return { allowed: true, remaining: key.window.limit - bucket.used, headers: bucketHeaders(key, bucket, now) };
  }

  /** The headers of `key`'s bucket without taking from it (for answers that never reached it). */
  peek(key: BucketKey): Record<string, string> {
    const now = this.now();
    const stored = this.#buckets.get(`${key.hash}:${key.major}`);
    const bucket = refresh(stored ? { ...stored } : { used: 0, resetAt: 0 }, key.window, now);
    return bucketHeaders(key, bucket, now);
  }

  /** Forgets every window. */
  reset(): void {
    this.#buckets.clear();
    this.#global.used = 0;
    this.#global.resetAt = 0;
  }
}

function refresh(state: WindowState, window: RateLimitWindow, now: number): WindowState {
  if (now >= state.resetAt) {
    state.used = 0;
    state.resetAt = now + window.windowMs;
  }
  return state;
}

function bucketHeaders(key: BucketKey, bucket: WindowState, now: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(key.window.limit),
    'X-RateLimit-Remaining': String(Math.max(0, key.window.limit - bucket.used)),
    'X-RateLimit-Reset': seconds(bucket.resetAt),
    'X-RateLimit-Reset-After': seconds(bucket.resetAt - now),
    'X-RateLimit-Bucket': key.hash,
  };
}
