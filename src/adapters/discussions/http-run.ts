/**
 * The requests of one sync run: each spends one unit of the run's budget (reserved before it is sent,
 * so concurrent requests never overspend it), waits for its host's gate, and is made at most once per
 * run: a second ask for the same URL gets the first answer, without a request.
 */
import { type FetchLimits, type Validators, fetchCapped } from '../feeds/fetch.ts';
import type { RequestBudget } from './fetch-types.ts';
import type { HostGate } from './http-gate.ts';

export type GetResult =
  | { readonly kind: 'ok'; readonly body: Buffer; readonly headers: { get(name: string): string | null }; readonly url: string }
  | { readonly kind: 'not-modified' }
  /** `retryAt` (ms since the epoch) when the host set a time to come back; `spent` when the budget stopped it before anything was sent. */
  | { readonly kind: 'failed'; readonly reason: string; readonly retryAt: number | null; readonly spent: boolean };

export interface GetOptions {
  readonly accept: string;
  readonly validators?: Validators;
  /** The host's spacing, used when its gate is first made. */
  readonly spacingMs: number;
}

/** Attempts at one URL when the host answers 429 and names a wait within the gate's limit. */
const ATTEMPTS = 3;

export const SPENT = "the run's request budget is spent";

/** One run's answers by URL, kept by the fetcher for as long as the run's budget object lives. */
export type RunCache = Map<string, Promise<GetResult>>;

export interface RunContext {
  readonly budget: RequestBudget;
  readonly cache: RunCache;
  readonly limits: FetchLimits;
  gateOf(host: string, spacingMs: number): HostGate;
  readonly signal?: AbortSignal;
}

/** The requests of one `fetch` call within a run, counted for its `requests`. */
export class FetchSession {
  requests = 0;

  constructor(private readonly run: RunContext) {}

  get(url: string, options: GetOptions): Promise<GetResult> {
    const known = this.run.cache.get(url);
    if (known) return known;
    // Reserved now, before any await, so that concurrent gets see what is left.
    if (this.run.budget.remaining <= 0) return Promise.resolve({ kind: 'failed', reason: SPENT, retryAt: null, spent: true });
    this.run.budget.remaining -= 1;
    const answer = this.send(url, options);
    this.run.cache.set(url, answer);
    // A request that was never sent (gate closed, budget spent) may be tried again later in the run.
    void answer.then((a) => {
      if (a.kind === 'failed' && a.spent) this.run.cache.delete(url);
    });
    return answer;
  }

  /** Sends with one unit of budget already reserved; refunds it when nothing was sent. */
  private async send(url: string, options: GetOptions): Promise<GetResult> {
    const gate = this.run.gateOf(new URL(url).host, options.spacingMs);
    for (let attempt = 1; ; attempt++) {
      let admitted;
      try {
        admitted = await gate.admit(this.run.signal);
      } catch {
        this.run.budget.remaining += 1;
        return { kind: 'failed', reason: `cancelled before ${url} was asked`, retryAt: null, spent: true };
      }
      if (!admitted.go) {
        this.run.budget.remaining += 1;
        const when = new Date(admitted.retryAt).toISOString();
        return {
          kind: 'failed',
          reason: `${new URL(url).host} is not asked again until ${when} (its rate limit or backoff)`,
          retryAt: admitted.retryAt,
          spent: true,
        };
      }
      this.requests += 1;
      const got = await fetchCapped(
        url,
        { accept: options.accept, validators: options.validators, signal: this.run.signal, what: `the response from ${url}` },
        this.run.limits,
      );
      if (got.kind === 'response') gate.observe(got.status, got.headers);
      // A refusal, a redirect loop or an oversized body says nothing about the host's health.
      else if (got.timedOut || got.reason.startsWith('could not fetch')) gate.observe(null, null);
      if (got.kind === 'failed') {
        // Refused by the address rules on the first hop: nothing reached anyone, so nothing is paid.
        if (got.refused && !got.reason.includes('(redirected from')) {
          this.requests -= 1;
          this.run.budget.remaining += 1;
        }
        return { kind: 'failed', reason: got.reason, retryAt: gate.blockedAt(), spent: false };
      }
      if (got.status === 304) return { kind: 'not-modified' };
      if (got.status >= 200 && got.status < 300) return { kind: 'ok', body: got.body, headers: got.headers, url: got.url };
      const reason = `HTTP ${got.status}${got.statusText ? ` ${got.statusText}` : ''} from ${url}`;
      if (got.status !== 429 || attempt >= ATTEMPTS || this.run.budget.remaining <= 0) {
        return { kind: 'failed', reason, retryAt: gate.blockedAt(), spent: false };
      }
      // Another try after the host's wait (the gate sleeps it, or refuses when it is too long).
      this.run.budget.remaining -= 1;
    }
  }
}
