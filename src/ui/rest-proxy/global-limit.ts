/**
 * The proxy's global limit, taken at the moment each request is sent. @discordjs/rest counts the
 * global limit in fixed windows that begin at its first send after the last one ended, while
 * Discord's begin when a request arrives: a few milliseconds of latency jitter at the boundary put
 * a new window's first requests into Discord's old, full one (measured: up to 24 global 429s in
 * 450 messages against the local Discord). A sliding window a little longer than Discord's second
 * cannot: any second of arrivals comes from a span of sends shorter than it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultRestOptions, type RESTOptions } from '@discordjs/rest';

/** Discord's global limit: 50 requests per second per bot. */
export const GLOBAL_LIMIT = 50;
/**
 * One second plus the arrival jitter tolerated: a request on a fresh TLS connection arrives a round
 * trip or two after one on a warm connection. Costs a fifth of the global budget (40 requests/s
 * sustained), which binds only when more than 40 channels are delivered to at once: below that the
 * channels' own buckets (5 messages per 5 s) are the limit. Measured with 1.1 s: 0 global 429s on a
 * quiet machine, up to 3 with three test runs sharing 2 CPUs; with 1.25 s, 0 in 5 of 6 such runs.
 */
export const GLOBAL_WINDOW_MS = 1_250;

/** At most `limit` takes in any `windowMs`, granted in the order asked for. */
export class SlidingWindow {
  /** When the last `limit` takes happened, oldest first. */
  readonly #taken: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`SlidingWindow: expected \`limit\` to be an integer from 1 up, got \`${limit}\``);
    if (!(windowMs > 0)) throw new RangeError(`SlidingWindow: expected \`windowMs\` above 0, got \`${windowMs}\``);
  }

  /** Resolves when a take is allowed (and counts it); rejects with the signal's reason once aborted. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #wait(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      while (this.#taken.length > 0 && now - (this.#taken[0] ?? now) >= this.windowMs) this.#taken.shift();
      const oldest = this.#taken[0];
      if (oldest === undefined || this.#taken.length < this.limit) {
        this.#taken.push(now);
        return;
      }
      await sleep(oldest + this.windowMs - now, undefined, signal ? { signal } : {});
    }
  }
}

/**
 * Interaction callbacks and the interaction webhooks (follow-ups, @original) are outside Discord's
 * global limit; holding them back would only risk the 3-second deadline.
 */
export function exemptFromGlobal(url: string): boolean {
  const segments = new URL(url).pathname.split('/');
  const at = (name: string): number => segments.indexOf(name);
  const interactions = at('interactions');
  if (interactions >= 0 && segments[interactions + 3] === 'callback') return true;
  const webhooks = at('webhooks');
  return webhooks >= 0 && (segments[webhooks + 2] ?? '') !== '';
}

/** `makeRequest` for the proxy's REST: every send but the exempt ones waits for the global window. */
export function globallyLimited(window: SlidingWindow): RESTOptions['makeRequest'] {
  return async (url, init) => {
    if (!exemptFromGlobal(url)) await window.take(init.signal ?? undefined);
    return DefaultRestOptions.makeRequest(url, init);
  };
}
