/**
 * The proxy's global limit. Discord counts 50 requests per second from when they arrive; the proxy
 * knows only when it sends a request and when the answer comes back, and the delay between send
 * and arrival varies. Measured against the local Discord in a process of its own: sent one at a
 * time (every 21 ms, as in a steady stream) requests arrive 0–9 ms after their send (0–28 ms with
 * three such measurements sharing 2 CPUs), but 50 sent at once (the start, or the end of a pause,
 * when every place is free) arrive over 100–190 ms. A window counted on send times alone must add
 * that to Discord's second: 1.25 s kept clear of global 429s, at 40 requests/s; 1.02–1.05 s would
 * not survive a burst.
 *
 * Instead a request holds its place from its send until 1 s after its answer: its arrival lies
 * between the two, so whatever second of arrivals Discord counts, every request in it was still
 * holding its place when the last of them was sent. No jitter is guessed; each place is held a
 * round trip longer than Discord's second (1 ms median, 8 ms p99 locally: about 49.9 requests/s
 * sustained; against discord.com, with round trips near 100 ms, about 45).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultRestOptions, type RESTOptions } from '@discordjs/rest';

/** Discord's global limit: 50 requests per second per bot. */
export const GLOBAL_LIMIT = 50;
/** Discord's global window. */
export const GLOBAL_WINDOW_MS = 1_000;

/** Gives back a place taken from an {@link ArrivalWindow}: call it when the answer (or failure) arrives. */
export type Release = () => void;

/**
 * At most `limit` requests arriving in any `windowMs`, for arrivals known only to lie between a
 * request's send and its answer. Places are granted in the order asked for.
 */
export class ArrivalWindow {
  #inFlight = 0;
  /** When each answered request's answer came, oldest first (kept while younger than `windowMs`). */
  readonly #answered: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  /** Wakes the request at the head of the queue when a place is given back. */
  #wake: (() => void) | undefined;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`ArrivalWindow: expected \`limit\` to be an integer from 1 up, got \`${limit}\``);
    if (!(windowMs > 0)) throw new RangeError(`ArrivalWindow: expected \`windowMs\` above 0, got \`${windowMs}\``);
  }

  /** Resolves with the release once a place is free (rejects with the signal's reason once aborted). */
  take(signal?: AbortSignal): Promise<Release> {
    const turn = this.#queue.then(() => this.#wait(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** Places held now: requests in flight, and answers younger than the window. */
  get held(): number {
    this.#forget(this.now());
    return this.#inFlight + this.#answered.length;
  }

  async #wait(signal: AbortSignal | undefined): Promise<Release> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      this.#forget(now);
      if (this.#inFlight + this.#answered.length < this.limit) {
        this.#inFlight++;
        return this.#releaser();
      }
      // Full: the oldest answer leaves the window first, unless a request in flight is answered sooner.
      const oldest = this.#answered[0];
      const woken = new Promise<void>((resolve) => (this.#wake = resolve));
      const waits: Promise<unknown>[] = [woken];
      const timer = new AbortController();
      if (oldest !== undefined) waits.push(sleep(oldest + this.windowMs - now, undefined, { signal: timer.signal }).catch(() => undefined));
      if (signal) waits.push(new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true, signal: timer.signal })));
      await Promise.race(waits);
      timer.abort();
      this.#wake = undefined;
    }
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#answered.push(this.now());
      this.#wake?.();
    };
  }

  /** Drops answers a full window old: a request sent now arrives after them by more than the window. */
  #forget(now: number): void {
    while (this.#answered.length > 0 && now - (this.#answered[0] ?? now) >= this.windowMs) this.#answered.shift();
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

/**
 * `makeRequest` for the proxy's REST: every send but the exempt ones waits for a place in the
 * global window and holds it until the answer's headers arrive (or the request fails).
 */
export function globallyLimited(window: ArrivalWindow): RESTOptions['makeRequest'] {
  return async (url, init) => {
    if (exemptFromGlobal(url)) return DefaultRestOptions.makeRequest(url, init);
    const release = await window.take(init.signal ?? undefined);
    try {
      return await DefaultRestOptions.makeRequest(url, init);
    } finally {
      release();
    }
  };
}
