/**
 * Whether a subscription posts a new article now, and if not why: the one answer both a delivery
 * run (due.ts) and /preview (preview.ts) use, so what the preview says is what the next run does.
 * Pure: the subscription's rules, the article, and what the run has counted so far.
 */
import type { Article } from '../../core/model.ts';
import type { Subscription } from '../../core/state.ts';
import type { SubscriptionTally } from '../../core/subscription-options.ts';
import { type CompiledFilter, compileExpression } from '../filters/expression.ts';
import { type Filter, parseFilter } from './filter.ts';

export type Verdict =
  | { readonly kind: 'post' }
  /** Passed over for good: the keywords or the filter expression blocked it; `because` names the test. */
  | { readonly kind: 'filtered'; readonly because: string }
  /** Passed over for good: published (or, without a date, stored) at `at`, more than `maxAgeHours` before now. */
  | { readonly kind: 'too-old'; readonly at: string; readonly maxAgeHours: number }
  /** Passed over: the subscription posts a digest instead (the digest job takes it). */
  | { readonly kind: 'digest' }
  /** Waits for the next UTC day: `cap` posts were made on `day` already. */
  | { readonly kind: 'cap'; readonly cap: number; readonly day: string }
  /** Waits: the last post was less than the minimum spacing ago; the next may go at `nextAt` (ISO). */
  | { readonly kind: 'spacing'; readonly nextAt: string };

/** What decides a verdict, compiled once per run from the subscription. */
export interface Rules {
  readonly keywords: string | null;
  readonly keywordFilter: Filter;
  readonly expression: CompiledFilter | null;
  readonly maxAgeHours: number | null;
  readonly dailyCap: number | null;
  readonly minSpacingMinutes: number | null;
  readonly digestOnly: boolean;
}

/** The posts counted so far on the UTC `day`, this run's included, and when the last one went. */
export interface Counters {
  readonly day: string;
  readonly postedToday: number;
  readonly lastPostAt: string | null;
}

/**
 * The subscription's rules. Throws FilterError (keywords) or FilterSyntaxError (the expression) when
 * a stored one no longer compiles: the run pauses the subscription with the reason. `now` is the
 * time the expression's date tests (`published > 2 days ago`) count from: the run's or the preview's.
 */
export function rulesOf(sub: Pick<Subscription, 'keywords' | 'options'>, now: Date): Rules {
  const o = sub.options ?? {};
  const text = o.filter?.trim() ?? '';
  return {
    keywords: sub.keywords,
    keywordFilter: parseFilter(sub.keywords),
    expression: text === '' ? null : compileExpression(text, { now: () => now }),
    maxAgeHours: positive(o.maxAgeHours),
    dailyCap: positive(o.dailyCap),
    minSpacingMinutes: positive(o.minSpacingMinutes),
    digestOnly: o.digest?.only === true,
  };
}

function positive(n: number | null | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** The UTC day of `at`, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The counters at `now` from what earlier runs kept: a new UTC day starts from 0. */
export function countersOf(tally: SubscriptionTally | undefined, now: Date): Counters {
  const day = utcDay(now);
  return { day, postedToday: tally?.day === day ? (tally.postedToday ?? 0) : 0, lastPostAt: tally?.lastPostAt ?? null };
}

/** The counters after one more post at `at`. */
export function countPost(c: Counters, at: Date): Counters {
  const day = utcDay(at);
  return { day, postedToday: (c.day === day ? c.postedToday : 0) + 1, lastPostAt: at.toISOString() };
}

/** 2015-01-01T00:00:00Z, the zero of every Discord id. */
const DISCORD_EPOCH = 1420070400000n;

/** When Discord made the message or thread with this id (ISO); null when it is not an id. */
export function snowflakeTime(id: string): string | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}

/** Whether the article passes the keywords and the expression (both must), and if not which test stopped it. */
export function filterVerdict(rules: Rules, article: Article): { pass: true } | { pass: false; because: string } {
  if (!rules.keywordFilter(article)) return { pass: false, because: `keywords ${rules.keywords ?? ''}: none found` };
  if (rules.expression) {
    const v = rules.expression.test(article);
    // The expression says "blocked by: <test> (…)"; the verdict's own words say it was blocked.
    if (!v.pass) return { pass: false, because: v.because.replace(/^blocked by:\s*/i, '') };
  }
  return { pass: true };
}

/** When the article appeared: published, else stored. */
export function appearedAt(a: Pick<Article, 'publishedAt' | 'ingestedAt'>): string {
  return a.publishedAt ?? a.ingestedAt;
}

/** Epoch ms of a stored time; a date-time without an offset is taken as UTC, as the rest of Paperboy shows it. NaN when it names no moment. */
export function instantOf(iso: string): number {
  return Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso);
}

/** The verdict on a new (never posted here) article that is due at `now`, with `counters` as the run has them. */
export function verdictOf(rules: Rules, article: Article, counters: Counters, now: Date): Verdict {
  const filtered = filterVerdict(rules, article);
  if (!filtered.pass) return { kind: 'filtered', because: filtered.because };
  if (rules.maxAgeHours !== null) {
    const at = appearedAt(article);
    // A time that names no moment cannot be too old: the article goes out rather than vanish unexplained.
    if (instantOf(at) < now.getTime() - rules.maxAgeHours * 3_600_000) return { kind: 'too-old', at, maxAgeHours: rules.maxAgeHours };
  }
  if (rules.digestOnly) return { kind: 'digest' };
  return waitFor(rules, counters, now) ?? { kind: 'post' };
}

/**
 * Why a new post would wait at `now` (the daily cap or the spacing), or null when it may go. Every
 * new post asks it: a new article's (verdictOf), and a set-aside one an admin asked to retry.
 */
export function waitFor(rules: Rules, counters: Counters, now: Date): Extract<Verdict, { kind: 'cap' | 'spacing' }> | null {
  const today = utcDay(now);
  const posted = counters.day === today ? counters.postedToday : 0;
  if (rules.dailyCap !== null && posted >= rules.dailyCap) return { kind: 'cap', cap: rules.dailyCap, day: today };
  if (rules.minSpacingMinutes !== null && counters.lastPostAt !== null) {
    const next = instantOf(counters.lastPostAt) + rules.minSpacingMinutes * 60_000;
    if (next > now.getTime()) return { kind: 'spacing', nextAt: new Date(next).toISOString() };
  }
  return null;
}

/** Passed over for good (the cursor moves past it), as an article that does not match always was. */
export function passedOver(v: Verdict): boolean {
  return v.kind === 'filtered' || v.kind === 'too-old' || v.kind === 'digest';
}

/** Waits where it is (the cursor stays before it) for a later run or day. */
export function waits(v: Verdict): boolean {
  return v.kind === 'cap' || v.kind === 'spacing';
}
