/**
 * A subscription on an engine harness's target, with its runner and an admin's command context:
 * what the set-aside and deleted-post tests drive delivery and `/subscriptions` through.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Article } from '../../src/core/model.ts';
import { backfillCursor } from '../../src/app/delivery/due.ts';
import type { Target } from '../../src/app/delivery/engine-types.ts';
import { parseFilter } from '../../src/app/delivery/filter.ts';
import { DeliveryRunner } from '../../src/app/delivery/run.ts';
import { FeedRegistry } from '../../src/app/feeds/registry.ts';
import { type Subscription, Subscriptions } from '../../src/app/delivery/subscriptions.ts';
import type { Store } from '../../src/adapters/store/contract.ts';
import { openBotState } from '../../src/adapters/store/state.ts';
import type { CommandContext } from '../../src/ui/discord/command.ts';
import { article, comment } from './articles.ts';
import type { EngineHarness } from './delivery.ts';
import { capturedLogger } from './log.ts';

/** The i-th harbour article, dated day 10 + i of November 2026, with one comment. */
export function news(i: number, extra: Partial<Article> = {}): Article {
  return article({
    title: `Harbour news ${i}`,
    text: `The harbour opened on day ${i}.`,
    publishedAt: `2026-11-${String(10 + i).padStart(2, '0')}T06:00`,
    comments: [comment(1, `Seen on day ${i}.`)],
    ...extra,
  });
}

export interface Subscribed {
  readonly subs: Subscriptions;
  readonly runner: DeliveryRunner;
  readonly t: Target;
  /** What the runner logged, from debug up. */
  readonly logs: Record<string, unknown>[];
  /** An admin of the target's guild, for /subscriptions and /deliver. */
  readonly ctx: CommandContext;
}

/** A subscription of `target` to everything in `store` (backfill all), created at `at` as `/subscribe` writes it. */
export async function subscriptionToAll(store: Store, target: Target, at: string, channelName = 'news'): Promise<Subscription> {
  const base = { source: null, keywords: null, backfill: { kind: 'all' as const } };
  return {
    ...target,
    channelName,
    ...base,
    cursor: await backfillCursor(store, base, parseFilter(null)),
    checkedAt: at,
    createdAt: at,
    createdBy: 'test',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
  };
}

/** Subscribes the harness's target to everything stored (backfill all). */
export async function subscribeAll(e: EngineHarness): Promise<Subscribed> {
  const state = openBotState(e.store.db);
  const subs = new Subscriptions(state.subscriptions);
  const { log, lines } = capturedLogger('debug');
  const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
  const t = e.target();
  const sub = await subscriptionToAll(e.store, t, new Date().toISOString());
  await subs.put(sub);
  const ctx: CommandContext = {
    store: e.store,
    now: () => new Date(),
    actor: { userId: '1', guildId: t.guildId, permissions: PermissionFlagsBits.ManageGuild, name: 'editor' },
    // This harness reads no feeds: a /feed command here would be a mistake in the test.
    delivery: {
      subscriptions: subs,
      runner,
      cron: null,
      poster: e.poster,
      progress: state.progress,
      feeds: { registry: new FeedRegistry(state.feeds), pollNow: () => Promise.reject(new Error('subscribeAll reads no feeds')) },
    },
  };
  return { subs, runner, t, logs: lines, ctx };
}
