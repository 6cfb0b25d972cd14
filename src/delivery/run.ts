/**
 * One delivery run over every active subscription: due articles to the engine, then the
 * subscription's cursor, counts and state updated. Subscriptions run side by side, and one that
 * fails is logged and recorded without stopping the others. Runs never overlap: a run asked for
 * while one is going waits for it and then runs.
 */
import type { Logger } from '../log.ts';
import type { ArticleStore } from '../store/store.ts';
import { dueArticles } from './due.ts';
import type { ArticleWork, DeliveryEngine } from './engine-types.ts';
import { parseFilter } from './filter.ts';
import type { Subscription, Subscriptions } from './subscriptions.ts';

export interface RunDeps {
  readonly store: ArticleStore;
  readonly subscriptions: Subscriptions;
  readonly engine: DeliveryEngine;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Picks up new articles (the inbox) before each run that posts. */
  readonly collect?: () => Promise<void>;
}

export interface SubscriptionRun {
  readonly channelId: string;
  readonly channelName: string;
  /** Messages created. */
  readonly created: number;
  readonly articles: number;
  readonly error: string | null;
  readonly paused: string | null;
  /** For a dry run: what would be done. */
  readonly plan: readonly ArticleWork[];
}

export interface RunOptions {
  /** Only this guild's subscriptions. */
  readonly guildId?: string;
  /** Show what would be posted; post nothing, change nothing. */
  readonly dryRun?: boolean;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runOne(deps: RunDeps, sub: Subscription, dryRun: boolean, signal: AbortSignal): Promise<SubscriptionRun> {
  const now = deps.now ?? (() => new Date());
  const started = now().toISOString();
  const base = { channelId: sub.channelId, channelName: sub.channelName, plan: [] as ArticleWork[] };
  const due = await dueArticles(deps.store, sub, parseFilter(sub.keywords), deps.engine);
  if (dryRun) {
    const plan = (await deps.engine.plan(sub, due.articles)).filter((w) => w.action !== 'none');
    return { ...base, created: 0, articles: plan.length, error: null, paused: null, plan };
  }
  const report = await deps.engine.deliver(sub, due.articles, { signal });
  const created = report.results.reduce((n, r) => n + r.created, 0);
  const firstError = report.results.find((r) => r.error !== null)?.error ?? null;
  const changedFailed = report.results.some((r) => r.error !== null && r.action !== 'post');
  const cursor = due.cursorAfter(report.results);
  await deps.subscriptions.update(sub, (s) => ({
    ...s,
    cursor: Math.max(s.cursor, cursor),
    // A failed append or edit keeps the check time, so the next run tries it again.
    checkedAt: changedFailed || report.pause ? s.checkedAt : started,
    posted: s.posted + report.results.filter((r) => (r.action === 'post' || r.action === 'resume') && r.error === null).length,
    lastPostedAt: created > 0 ? now().toISOString() : s.lastPostedAt,
    lastRunAt: started,
    lastError: firstError,
    paused: report.pause ? { reason: report.pause.reason, at: now().toISOString() } : s.paused,
  }));
  const fields = { channel: sub.channelId, guild: sub.guildId, articles: report.results.length, created };
  if (report.pause) deps.log.warn({ ...fields, reason: report.pause.reason }, 'delivery paused for this subscription');
  else if (firstError) deps.log.warn({ ...fields, error: firstError }, 'delivery stopped part way; the next run resumes it');
  else if (report.results.length > 0) deps.log.info(fields, 'delivered');
  return { ...base, created, articles: report.results.length, error: firstError, paused: report.pause?.reason ?? null };
}

export class DeliveryRunner {
  private running: Promise<unknown> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: RunDeps) {}

  /** Runs delivery once; waits for a run in progress first. */
  run(options: RunOptions = {}): Promise<SubscriptionRun[]> {
    const next = this.running.then(() => this.runNow(options));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Resolves when no run is going. */
  async idle(): Promise<void> {
    await this.running;
  }

  /**
   * For shutdown: a run in progress posts no further articles (those in their threads finish, so
   * progress matches what was posted), and no new run starts. Resolves when it has stopped.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async runNow(options: RunOptions): Promise<SubscriptionRun[]> {
    if (this.stopping.signal.aborted) return [];
    if (!options.dryRun && this.deps.collect) {
      try {
        await this.deps.collect();
      } catch (error) {
        this.deps.log.error({ err: error }, 'picking up new articles failed; delivering what is stored');
      }
    }
    const subs = (await this.deps.subscriptions.list(options.guildId)).filter((s) => s.paused === null);
    const runs = await Promise.all(
      subs.map(async (sub) => {
        try {
          return await runOne(this.deps, sub, options.dryRun === true, this.stopping.signal);
        } catch (error) {
          this.deps.log.error({ err: error, channel: sub.channelId, guild: sub.guildId }, 'delivery failed for this subscription');
          if (!options.dryRun) await this.deps.subscriptions.update(sub, (s) => ({ ...s, lastError: message(error), lastRunAt: new Date().toISOString() }));
          return { channelId: sub.channelId, channelName: sub.channelName, created: 0, articles: 0, error: message(error), paused: null, plan: [] };
        }
      }),
    );
    return runs;
  }
}
