/**
 * Deliberate trouble, for testing how a bot copes with a bad day at Discord: failing requests, a
 * storm of 429s, slow answers. Faults are not rule violations: they are never recorded as such.
 */
import type { RateLimitScope } from './rate-limits.ts';

/** The fault controls a test holds. */
export interface Faults {
  /**
   * The next `count` REST requests matching `route` (a substring or RegExp of `"METHOD /path"`, e.g. `"POST /channels/"`) fail with `status` (default 500).
   * With `handled: true` each request takes effect first and only its answer is the failure: Discord made the post, then answered 500, so the client cannot know.
   */
  failNext(input: { count: number; status?: number; route?: string | RegExp; handled?: boolean }): void;
  /**
   * The next `count` REST requests matching `route` take effect at once, and their answer waits `ms`
   * (a slow Discord): a client with a shorter timeout gives up on a request that was done.
   */
  slowNext(input: { count: number; ms: number; route?: string | RegExp }): void;
  /** Each REST request fails with 500 with this probability (0 disables), drawn from a generator seeded with `seed` (default 1) so runs repeat. */
  failRatio(ratio: number, seed?: number): void;
  /** For `durationMs` every REST request gets a 429 (`Retry-After` `retryAfterMs`, default 100 ms; scope `global` unless said). */
  rateLimitStorm(input: { durationMs: number; retryAfterMs?: number; scope?: RateLimitScope }): void;
  /** Delays every REST request by `ms` before it is handled (slow Discord). 0 disables. */
  latency(ms: number): void;
  /** Ends every fault. */
  clear(): void;
}

/** What a fault does to one request, if anything. */
export type FaultOutcome = { kind: 'fail'; status: number; handled: boolean } | { kind: 'storm'; retryAfterMs: number; scope: RateLimitScope };

interface PendingFailure {
  remaining: number;
  status: number;
  handled: boolean;
  route?: string | RegExp;
}

export class FaultInjector implements Faults {
  #pending: PendingFailure[] = [];
  #ratio = 0;
  #random: () => number = mulberry32(1);
  #storm: { until: number; retryAfterMs: number; scope: RateLimitScope } | null = null;
  #latencyMs = 0;
  #slow: { remaining: number; ms: number; route?: string | RegExp }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  failNext(input: { count: number; status?: number; route?: string | RegExp; handled?: boolean }): void {
    if (!Number.isInteger(input.count) || input.count < 1)
      throw new RangeError(`failNext: expected \`count\` to be a whole number from 1 up, got \`${input.count}\``);
    const status = input.status ?? 500;
    if (status < 400 || status > 599) throw new RangeError(`failNext: expected \`status\` to be an error status (400–599), got \`${status}\``);
    this.#pending.push({ remaining: input.count, status, handled: input.handled ?? false, ...(input.route !== undefined && { route: input.route }) });
  }

  slowNext(input: { count: number; ms: number; route?: string | RegExp }): void {
    if (!Number.isInteger(input.count) || input.count < 1)
      throw new RangeError(`slowNext: expected \`count\` to be a whole number from 1 up, got \`${input.count}\``);
    if (!(input.ms >= 0)) throw new RangeError(`slowNext: expected \`ms\` to be 0 or more, got \`${input.ms}\``);
    this.#slow.push({ remaining: input.count, ms: input.ms, ...(input.route !== undefined && { route: input.route }) });
  }

  failRatio(ratio: number, seed = 1): void {
    if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`failRatio: expected \`ratio\` between 0 and 1, got \`${ratio}\``);
    this.#ratio = ratio;
    this.#random = mulberry32(seed);
  }

  rateLimitStorm(input: { durationMs: number; retryAfterMs?: number; scope?: RateLimitScope }): void {
    this.#storm = { until: this.now() + input.durationMs, retryAfterMs: input.retryAfterMs ?? 100, scope: input.scope ?? 'global' };
  }

  latency(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`latency: expected \`ms\` to be 0 or more, got \`${ms}\``);
    this.#latencyMs = ms;
  }

  clear(): void {
    this.#pending = [];
    this.#ratio = 0;
    this.#storm = null;
    this.#latencyMs = 0;
    this.#slow = [];
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  /** How long the answer to this request waits after it took effect (0: not at all); counts it against a `slowNext`. */
  answerDelay(requestLine: string): number {
    const slow = this.#slow.find((p) => matches(p.route, requestLine));
    if (!slow) return 0;
    slow.remaining--;
    if (slow.remaining === 0) this.#slow.splice(this.#slow.indexOf(slow), 1);
    return slow.ms;
  }

  /** Decides the fate of one request, `requestLine` being `"METHOD /path"`. */
  decide(requestLine: string): FaultOutcome | null {
    if (this.#storm) {
      if (this.now() < this.#storm.until) return { kind: 'storm', retryAfterMs: this.#storm.retryAfterMs, scope: this.#storm.scope };
      this.#storm = null;
    }
    const pending = this.#pending.find((p) => matches(p.route, requestLine));
    if (pending) {
      pending.remaining--;
      if (pending.remaining === 0) this.#pending.splice(this.#pending.indexOf(pending), 1);
      return { kind: 'fail', status: pending.status, handled: pending.handled };
    }
    if (this.#ratio > 0 && this.#random() < this.#ratio) return { kind: 'fail', status: 500, handled: false };
    return null;
  }
}

function matches(route: string | RegExp | undefined, line: string): boolean {
  if (route === undefined) return true;
  return typeof route === 'string' ? line.includes(route) : route.test(line);
}

/** A small seeded generator: the same seed gives the same sequence on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
