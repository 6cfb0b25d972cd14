/**
 * One host's manners: requests spaced out, the host's own word on when to come back (429 with
 * Retry-After, Reddit's `x-ratelimit-remaining` / `x-ratelimit-reset`) obeyed, and a growing pause
 * after failures. A wait longer than the caller will sit through is not slept: the request is not
 * made and the caller learns when the host can be asked again.
 */

/** Time as the gates see it; tests pass one that advances when slept instead of waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('cancelled'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = (): void => {
        clearTimeout(timer);
        reject(new Error('cancelled'));
      };
      signal?.addEventListener('abort', stop, { once: true });
    }),
};

export interface GateOptions {
  /** Least time between two requests to the host, in ms. */
  readonly spacingMs: number;
  /**
   * The longest wait a request sits through (spacing, Retry-After, a rate-limit reset, backoff);
   * beyond it the request is not made.
   * @default 60_000
   */
  readonly maxWaitMs?: number;
  /**
   * The pause after the first failure in a row, doubled for each further one up to `maxBackoffMs`.
   * @default 2_000
   */
  readonly backoffMs?: number;
  /** @default 900_000 (15 minutes) */
  readonly maxBackoffMs?: number;
}

/** Whether to go ahead (after the wait has been slept) or when the host may be asked again. */
export type Admission = { readonly go: true } | { readonly go: false; readonly retryAt: number };

export class HostGate {
  /** When the next request may start, by spacing. */
  private nextSlot = 0;
  /** Until when the host asked not to be asked (429, rate-limit reset) or backoff runs. */
  private blockedUntil = 0;
  private failuresInRow = 0;

  constructor(
    private readonly options: GateOptions,
    private readonly clock: Clock,
  ) {}

  /** When the host may next be asked, when it is later than now (for a failure's retryAt). */
  blockedAt(): number | null {
    return this.blockedUntil > this.clock.now() ? this.blockedUntil : null;
  }

  /**
   * Waits for the request's turn. The slot is taken synchronously, so concurrent callers are spaced
   * from each other as well as from earlier requests.
   */
  async admit(signal?: AbortSignal): Promise<Admission> {
    const now = this.clock.now();
    const start = Math.max(now, this.nextSlot, this.blockedUntil);
    if (start - now > (this.options.maxWaitMs ?? 60_000)) return { go: false, retryAt: start };
    this.nextSlot = start + this.options.spacingMs;
    if (start > now) await this.clock.sleep(start - now, signal);
    return { go: true };
  }

  /** Reads what an answer says about the host's limits; `failed` for 5xx, timeouts and refused connections. */
  observe(status: number | null, headers: { get(name: string): string | null } | null): void {
    const now = this.clock.now();
    const remaining = Number(headers?.get('x-ratelimit-remaining') ?? NaN);
    const reset = Number(headers?.get('x-ratelimit-reset') ?? NaN);
    if (status === 429) {
      // Retry-After when given, else Reddit's reset, else a guess that grows.
      const wait = retryAfterMs(headers?.get('retry-after') ?? null, now) ?? (reset >= 0 ? reset * 1000 : this.backoff());
      this.blockedUntil = Math.max(this.blockedUntil, now + wait);
      return;
    }
    // Reddit sends the requests left in the window as a float ("0.0") and the seconds until it resets.
    if (remaining < 1 && reset >= 0) this.blockedUntil = Math.max(this.blockedUntil, now + reset * 1000);
    if (status === null || status >= 500) {
      this.blockedUntil = Math.max(this.blockedUntil, now + this.backoff());
    } else {
      this.failuresInRow = 0;
    }
  }

  /** The pause after one more failure in a row. */
  private backoff(): number {
    this.failuresInRow += 1;
    const base = this.options.backoffMs ?? 2_000;
    return Math.min(base * 2 ** (this.failuresInRow - 1), this.options.maxBackoffMs ?? 900_000);
  }
}

/** Retry-After as ms from `now`: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
