/**
 * The delivery side of a process, shared by the bot (`paperboy start`) and the worker (`paperboy
 * worker`): the engine over a poster, the runner, what it collects before each run (the inbox, the
 * feeds, then the followed discussions), and the schedule. One copy, so a worker delivers exactly as the bot does.
 * The discussion sync runs beside the delivery run (sync-beside.ts): a run waits for it at most
 * DISCUSSION_SYNC_WAIT_MS, so new articles never wait minutes for a slow discussion host.
 */
import nodeCron from 'node-cron';
import { type Config, DEFAULT_DISCUSSION_POLL_MINUTES, DEFAULT_DISCUSSION_REQUESTS } from '../../config.ts';
import type { Logger } from '../../core/log.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { FetchLimits } from '../../adapters/feeds/fetch.ts';
import { createDiscussionFetcher } from '../../adapters/discussions/fetch-discussion.ts';
import type { DiscussionFetcher } from '../../adapters/discussions/fetch-types.ts';
import { type FeedParser, createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import { type DiscussionParserWorker, createDiscussionParser } from '../../adapters/discussions/parse-worker.ts';
import type { Poster } from '../../app/delivery/poster.ts';
import { createDeliveryEngine } from '../../app/delivery/engine.ts';
import { DeliveryRunner } from '../../app/delivery/run.ts';
import { type ScheduledJob, scheduleDelivery } from '../../app/delivery/schedule.ts';
import { Subscriptions } from '../../app/delivery/subscriptions.ts';
import { logSyncs } from '../../app/discussion/discussion-log.ts';
import { DiscussionFollows } from '../../app/discussion/follow.ts';
import { syncDiscussions } from '../../app/discussion/sync.ts';
import { SyncBeside } from '../../app/discussion/sync-beside.ts';
import { type ArticleThread, ThreadIndex } from '../../app/discussion/threads.ts';
import { type PollResult, pollFeeds, pollOne } from '../../app/feeds/poll.ts';
import { noticeFeedHealth } from '../../app/feeds/health.ts';
import { runDigests } from '../../app/digest/run.ts';
import { FeedRegistry } from '../../app/feeds/registry.ts';
import type { DeliveryContext } from './command.ts';
import { processInbox } from '../../app/library/inbox.ts';
import type { LeaseOptions } from '../../app/lease-options.ts';

/**
 * What a poll did, for the operator. A feed another process is polling (or has just polled) is
 * debug: with several processes on one schedule every round meets several, and it is the normal case.
 */
export function logPolls(results: readonly PollResult[], log: Logger): void {
  for (const r of results) {
    if (r.outcome === 'waiting' && r.elsewhere) log.debug({ feed: r.url }, 'feed being read, or just read, by another process; left to it');
    else if (r.outcome === 'cut-off') log.info({ feed: r.url }, 'feed read cut off by shutdown; read again on the next run');
    else if (r.outcome === 'stored') log.info({ feed: r.url, items: r.items, added: r.added, updated: r.updated }, 'feed read');
    else if (r.outcome === 'failed') log.warn({ feed: r.url, reason: r.error }, 'feed failed; backing off');
    for (const w of r.warnings) log.warn({ feed: r.url }, w);
  }
}

/** The longest a delivery run waits for the discussion sync before delivering what is stored (the sync goes on beside it). */
export const DISCUSSION_SYNC_WAIT_MS = 15_000;

/** The longest a scheduled poll leaves alone a feed read since (by any process): see pollSpacingMs. */
export const POLL_SPACING_MAX_MS = 5 * 60_000;
/** Fire times looked at for a schedule's shortest gap: enough to span a weekday pattern of a daily schedule. */
const FIRE_TIMES_SAMPLED = 16;

/**
 * `minIntervalMs` for the polls before each run: half the shortest gap between two fire times of
 * `cron`, at most POLL_SPACING_MAX_MS; 0 without a schedule. Feeds have no interval of their own:
 * each is read once a round, so the round is the unit. Half a gap leaves alone a feed another
 * process read in this round (processes on one schedule start their rounds a little apart: clocks,
 * and the inbox read first), yet every feed is read again on the next round, a whole gap later.
 * The cap keeps a long schedule (hourly, daily) from leaving feeds unread on a /deliver asked for
 * between rounds, which collects the same way: a feed read in the last 5 minutes is fresh enough.
 */
export function pollSpacingMs(cron: string | null): number {
  if (!cron) return 0;
  // A task that is never started: node-cron's own reading of the expression, then dropped.
  const task = nodeCron.createTask(cron, () => undefined);
  let times: Date[];
  try {
    times = task.getNextRuns(FIRE_TIMES_SAMPLED);
  } finally {
    void task.destroy();
  }
  const ms = times.map((t) => t.getTime());
  const gap = Math.min(...ms.slice(1).map((t, i) => t - (ms[i] ?? t)));
  return Number.isFinite(gap) ? Math.min(Math.floor(gap / 2), POLL_SPACING_MAX_MS) : 0;
}

interface InboxRun {
  readonly dir: string;
  readonly store: Store;
  readonly log: Logger;
  readonly maxBytes: number | undefined;
  readonly signal: AbortSignal;
  readonly lease: LeaseOptions | undefined;
  /** The files this process has said are held. */
  readonly toldHeld: Set<string>;
}

/**
 * Logs what became of each inbox file. One that could not be moved out stays in the inbox, held
 * (not read again until it changes): that is said when it happens (processInbox gives the reason),
 * and by a process that finds a file held before it started (a restart in the same process), once
 * per file until it changes.
 */
async function collectInbox(run: InboxRun): Promise<void> {
  const { log, toldHeld } = run;
  for (const f of await processInbox(run.dir, run.store, { maxBytes: run.maxBytes, signal: run.signal, lease: run.lease })) {
    if (f.outcome === 'held') {
      if (f.error !== null)
        log.warn({ file: f.file, error: f.error }, 'inbox: could not be moved out of the inbox; it stays there, held, and is not read again until it changes');
      else if (!toldHeld.has(f.file))
        log.warn({ file: f.file }, 'inbox: held: it could not be moved out of the inbox on an earlier run, and is not read again until it changes');
      toldHeld.add(f.file);
      continue;
    }
    toldHeld.delete(f.file);
    if (f.outcome === 'processed') log.info({ file: f.file, added: f.added, updated: f.updated, unchanged: f.unchanged }, 'inbox: stored');
    else if (f.outcome === 'failed') log.warn({ file: f.file, error: f.error }, 'inbox: failed; moved to failed/ with the reason');
  }
}

/**
 * Run subscriptions and delivery; `cron` null means only /deliver runs it. With `collect` (the
 * default), `inboxDir` is read before each run, then the feeds are polled, parsed by `feedParser`
 * (createFeedParser); `collect: false` (DELIVERY=off) leaves both to the processes that deliver.
 * The process owns the parser from then on: stop() closes it, under a parse if need be.
 */
export interface DeliveryOptions {
  readonly cron: string | null;
  readonly inboxDir?: string;
  readonly inboxMaxBytes?: number;
  readonly feedParser: FeedParser;
  readonly feedFetch?: FetchLimits;
  /** A feed failing this long is paused (FEED_PAUSE_AFTER_HOURS); default DEFAULT_PAUSE_AFTER_MS. */
  readonly feedPauseAfterMs?: number;
  /**
   * Following discussions at their source: the fetcher (by default one over `feedFetch`), the
   * requests one sync may make (DISCUSSION_REQUESTS_PER_RUN) and the least time between two syncs of
   * one discussion (DISCUSSION_POLL_MINUTES). The sync starts after the feeds, before each run, and
   * the run waits for it at most `waitMs` (default DISCUSSION_SYNC_WAIT_MS; 0 not at all): a longer
   * sync goes on beside the run, and its comments go out on the next run.
   */
  readonly discussions?: {
    readonly fetcher?: DiscussionFetcher;
    /** The worker the fetcher parses in (createDiscussionParser); stop() closes it, under a parse if need be. */
    readonly parser?: DiscussionParserWorker;
    readonly requestsPerRun?: number;
    readonly minIntervalMs?: number;
    readonly waitMs?: number;
  };
  /**
   * Read the inbox and poll the feeds before each run.
   * @default true
   */
  readonly collect?: boolean;
}

/**
 * Delivery as the settings ask for it, on Discord and in the playground alike; with a feed parser of
 * its own, which the process closes. DELIVERY=off keeps the commands (/deliver runs now, /feed poll)
 * but no schedule, no inbox and no feed polling in this process.
 */
export function deliveryOptions(config: Config): DeliveryOptions {
  // Discussions are parsed off this thread too: a 10 MB listing or comment feed is seconds of parsing.
  const discussionParser = createDiscussionParser();
  return {
    cron: config.delivery ? config.deliveryCron : null,
    inboxDir: config.inboxDir,
    inboxMaxBytes: config.maxInputBytes,
    feedParser: createFeedParser(),
    feedFetch: { allow: config.feedAllow },
    feedPauseAfterMs: config.feedPauseAfterMs,
    discussions: {
      ...config.discussions,
      parser: discussionParser,
      fetcher: createDiscussionFetcher({ limits: { allow: config.feedAllow }, parser: discussionParser }),
    },
    collect: config.delivery,
  };
}

export interface DeliveryWiringOptions {
  readonly store: Store;
  readonly state: BotState;
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
  readonly delivery: DeliveryOptions | undefined;
  /** Shares runs, feed polls and the inbox with other processes on the same database. */
  readonly lease?: LeaseOptions;
}

/** What the router's commands and the process's stop need of delivery. */
export interface DeliveryWiring {
  readonly runner: DeliveryRunner;
  readonly subscriptions: Subscriptions;
  readonly index: ThreadIndex;
  /** The followed discussions (/discussion, and subscriptions that follow their articles'); synced before each run when collecting. */
  readonly discussions: DiscussionFollows;
  /** The router's `delivery` context; undefined when delivery is not wired in (the commands say so). */
  readonly context: DeliveryContext | undefined;
  /** Resolves when no discussion sync is going (one may outlast the run that started it). */
  discussionsSynced(): Promise<void>;
  /** Starts the schedule (when there is a cron). */
  schedule(): void;
  /** The schedule stops, a run under way stops between messages, a parse in hand ends, a sync stops between discussions. */
  stop(): Promise<void>;
}

export function wireDelivery(options: DeliveryWiringOptions): DeliveryWiring {
  const { store, state, log, now, lease, poster } = options;
  const delivering = options.delivery;
  const subscriptions = new Subscriptions(state.subscriptions);
  const index = new ThreadIndex(state.threads);
  const onThread = async (t: ArticleThread): Promise<void> => {
    if (!(await index.get(t.threadId))) await index.put(t);
  };
  const engine = createDeliveryEngine({ poster: options.poster, progress: state.progress, log, onThread });
  // Shutdown stops an inbox file between two batches rather than waiting out a large one, and a feed's parse at once.
  const stopping = new AbortController();
  const registry = new FeedRegistry(state.feeds);
  const toldHeld = new Set<string>();
  const following = delivering?.discussions;
  // Made even without delivery: it does nothing until asked (/discussion, or a sync when collecting).
  const fetcher = following?.fetcher ?? createDiscussionFetcher({ limits: delivering?.feedFetch });
  const discussions = new DiscussionFollows(state.discussions, fetcher, store);
  // Only among processes that share the feeds: one alone reads every feed whenever it collects, as before.
  const minIntervalMs = lease ? pollSpacingMs(delivering?.cron ?? null) : 0;
  const syncWaitMs = following?.waitMs ?? DISCUSSION_SYNC_WAIT_MS;
  if (!Number.isFinite(syncWaitMs) || syncWaitMs < 0)
    throw new RangeError(`wireDelivery: expected \`discussions.waitMs\` to be a number of ms from 0 up, got \`${syncWaitMs}\``);
  const syncing = new SyncBeside(async () => {
    const requestsPerRun = following?.requestsPerRun ?? DEFAULT_DISCUSSION_REQUESTS;
    const spacing = following?.minIntervalMs ?? DEFAULT_DISCUSSION_POLL_MINUTES * 60_000;
    logSyncs(await syncDiscussions(state.discussions, store, { fetcher, requestsPerRun, minIntervalMs: spacing, now, lease, signal: stopping.signal }), log);
  }, log);
  const collect = async (): Promise<void> => {
    if (!delivering || delivering.collect === false) return;
    if (delivering.inboxDir)
      await collectInbox({ dir: delivering.inboxDir, store, log, maxBytes: delivering.inboxMaxBytes, signal: stopping.signal, lease, toldHeld });
    if (stopping.signal.aborted) return;
    const options = {
      parse: delivering.feedParser.parse,
      now,
      limits: delivering.feedFetch,
      signal: stopping.signal,
      lease,
      minIntervalMs,
      pauseAfterMs: delivering.feedPauseAfterMs,
    };
    const polled = await pollFeeds(registry, store, options);
    logPolls(polled, log);
    await noticeFeedHealth({ state, poster, log, now }, polled).catch((error: unknown) =>
      log.error({ err: error }, 'feed health notices failed; the next poll tries again'),
    );
    if (stopping.signal.aborted) return;
    await syncing.startAndWait(syncWaitMs, stopping.signal);
  };
  const afterRun = (): Promise<void> => runDigests({ store, state, poster, log, now });
  const runner = new DeliveryRunner({ store, subscriptions, engine, progress: state.progress, log, now, collect, lease, discussions, afterRun });
  const context: DeliveryContext | undefined = delivering && {
    subscriptions,
    discussions,
    runner,
    poster,
    progress: state.progress,
    cron: delivering.cron,
    feeds: {
      registry,
      guildSettings: state.guildSettings,
      async pollNow(url: string) {
        const feed = await registry.get(url);
        if (!feed) throw new Error(`feed ${url} is not registered`);
        const result = await pollOne(feed, registry, store, {
          parse: delivering.feedParser.parse,
          now,
          force: true,
          limits: delivering.feedFetch,
          signal: stopping.signal,
          lease,
          pauseAfterMs: delivering.feedPauseAfterMs,
        });
        logPolls([result], log);
        return result;
      },
    },
  };
  let job: ScheduledJob | null = null;
  return {
    runner,
    subscriptions,
    index,
    discussions,
    context,
    discussionsSynced: () => syncing.idle(),
    schedule() {
      if (delivering?.cron && !job) job = scheduleDelivery(delivering.cron, runner, log);
    },
    async stop() {
      await job?.stop();
      stopping.abort();
      // A parse in hand ends now (its feed is left to be read again), not at the worker's time limit.
      await delivering?.feedParser.close();
      // A discussion whose parse this ends is cut off (left as it was), not failed: the sync sees the stop.
      await following?.parser?.close();
      await runner.stop();
      // Started by a run and outliving it: stops between discussions (the one in hand at its next request).
      await syncing.idle();
      // A parse the sync asked for after the close above started a fresh worker: closed too.
      await following?.parser?.close();
    },
  };
}
