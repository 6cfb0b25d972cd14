/**
 * The delivery engine: posts each article, its thread and its comments exactly once. Progress is
 * stored after every message (src/adapters/store/delivery-progress.ts); each message carries a
 * deterministic nonce, so a resend after a crash within Discord's nonce window returns the message
 * already made; after a longer outage the thread's messages after the last one recorded are read
 * and matched before sending, and a post whose fate is unknown is looked for before it is made again
 * (find-post.ts). Comments go in tree order, each reply a Discord reply to its parent's message,
 * and comments edited or deleted at their source are edited in (tree-comments.ts). A thread gets at
 * most `commentsPerRun` messages per run, and stops between two messages at shutdown.
 */
import PQueue from 'p-queue';
import type { Article } from '../../core/model.ts';
import type { DeliveryProgress as Progress } from '../../core/state.ts';
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import type { ArticleThread } from '../discussion/threads.ts';
import type { Logger } from '../../core/log.ts';
import type { ArticleResult, ArticleWork, DeliveryEngine, DeliveryReport, Target } from './engine-types.ts';
import { createFinder } from './find-post.ts';
import { type ArticlePlan, planArticle } from './messages.ts';
import type { Poster } from './poster.ts';
import { checkedDestination, type Destination, destinationOf, planFor } from './destination.ts';
import { createTreePoster, type Recorded, recordedIn } from './tree-comments.ts';
import { actionOf, createPostMaker, freshProgress } from './post-article.ts';
import { judgeFailure } from './failure.ts';
import { errorMessage } from '../../core/errors.ts';

/**
 * Threads whose comments are being posted at once, per target. Each thread is its own rate-limit
 * bucket (5 messages per 5 s on Discord), so about 20 at once are needed to reach the global 50/s.
 */
const THREADS_IN_FLIGHT = 20;
/**
 * Comment messages sent per article and run by default. A thread of thousands goes in slices: at
 * Discord's 5 messages per 5 s in a thread, 100 take about 100 s, so a run stays within the default
 * 5-minute schedule and the next run (every subscription's new articles) never waits hours behind one thread.
 */
export const COMMENTS_PER_RUN = 100;

export interface EngineDeps {
  readonly poster: Poster;
  /** Progress records; one per target channel and article. */
  readonly progress: DeliveryProgressRepository;
  readonly log: Logger;
  /** Told of every thread made for an article, so its replies can be followed. */
  readonly onThread?: (thread: ArticleThread) => Promise<void>;
  /** Comment messages sent per article and run; the rest go in the next run. Default COMMENTS_PER_RUN. */
  readonly commentsPerRun?: number;
  /** Epoch milliseconds; default Date.now. */
  readonly clock?: () => number;
}

/** Why an article is set aside when planArticle throws: that depends on the article alone, so it would fail the same way on every run. */
function notLaidOut(error: unknown): string {
  return `it could not be laid out as messages: ${errorMessage(error)}`;
}

/** What delivering one article's post left to do: its comments' task (which never rejects), `stop` (the rest wait), or nothing. */
type Delivered = { comments: Promise<void> } | 'stop' | null;

/**
 * Waits for a free thread slot, then runs `deliver` in it: resolves with its outcome as soon as the
 * post is made (or not), while the article's comments go on in that slot. Rejects as `deliver` does.
 * `stopping` is asked again once the slot is free: a stop or a pause may have come during the wait
 * (the other threads' comments can pause the target), and then nothing is posted and the outcome is `stop`.
 */
function postInSlot(threads: PQueue, stopping: () => boolean, deliver: () => Promise<Delivered>): Promise<Delivered> {
  let posted: (outcome: Delivered) => void = () => undefined;
  const outcome = new Promise<Delivered>((resolve) => (posted = resolve));
  const slot = threads.add(async () => {
    const delivered = stopping() ? 'stop' : await deliver();
    posted(delivered);
    if (delivered !== null && delivered !== 'stop') await delivered.comments;
  });
  // The slot settles before the outcome only when `deliver` threw.
  return Promise.race([outcome, slot.then(() => outcome)]);
}

export function createDeliveryEngine(deps: EngineDeps): DeliveryEngine {
  const { poster, progress, log } = deps;
  const clock = deps.clock ?? Date.now;
  const commentsPerRun = deps.commentsPerRun ?? COMMENTS_PER_RUN;
  if (!Number.isInteger(commentsPerRun) || commentsPerRun < 1)
    throw new RangeError(`delivery engine: expected \`commentsPerRun\` to be a whole number from 1 up, got \`${commentsPerRun}\``);
  const load = (t: Target, id: string): Promise<Progress | null> => progress.get(t.channelId, id);
  const save = (t: Target, id: string, p: Progress): Promise<void> => progress.put(t.channelId, id, p);
  const posts = createPostMaker({ poster, log, finder: createFinder(poster, log), save, clock, ...(deps.onThread && { onThread: deps.onThread }) });
  const tree = createTreePoster({ poster, progress, log, commentsPerRun });
  /** What an article's finished thread holds: read only then, since only then can an edit at the source be all there is to do. */
  const recordedFor = (t: Target, articleId: string, p: Progress | null): Promise<Recorded> =>
    recordedIn(progress, t, articleId, p?.complete ? p.threadId : null);

  /** Makes the post and thread; resolves with the comments' task (wrapped, so awaiting this does not wait for them). */
  async function deliverOne(
    t: Target,
    a: Article,
    signal: AbortSignal | undefined,
    report: (r: ArticleResult) => void,
    onGone: (reason: string) => void,
    dest: Destination,
    checked: () => Promise<Destination | { pause: string }>,
  ): Promise<Delivered> {
    let plan: ArticlePlan;
    try {
      plan = planFor(planArticle(a, poster, t.options), a, dest);
    } catch (error) {
      // Planning depends on the article alone: it would fail the same way on every run.
      report({ articleId: a.id, action: 'post', created: 0, edited: 0, error: notLaidOut(error), setAside: true });
      return null;
    }
    const stored = await load(t, a.id);
    const { action } = actionOf(stored, plan, a, await recordedFor(t, a.id, stored));
    if (action === 'none') {
      report({ articleId: a.id, action, created: 0, edited: 0, error: null });
      return null;
    }
    const p: Progress = stored ?? freshProgress(a);
    let posted = { created: 0, edited: 0 };
    /** Reports the failure; resolves with whether the article was set aside (the run goes on without it). */
    const fail = async (error: unknown, created: number): Promise<boolean> => {
      const verdict = await judgeFailure(poster, log, t, error, dest);
      if ('pause' in verdict) onGone(verdict.pause);
      if ('deleted' in verdict) {
        // Its post or thread is gone: an admin's retry posts it afresh (a new post, thread and every comment).
        await save(t, a.id, { ...freshProgress(a), attemptedAt: null, reposts: (p.reposts ?? 0) + 1 });
        log.info({ channel: t.channelId, article: a.id, error: errorMessage(error) }, `${verdict.aside}; set aside, and a retry posts it afresh`);
      }
      // A request Discord will refuse on every run sets the article aside (the job records why), so it blocks nothing.
      const aside = 'aside' in verdict ? verdict.aside : null;
      report({ articleId: a.id, action, created, edited: posted.edited, error: aside ?? errorMessage(error), ...(aside !== null ? { setAside: true } : {}) });
      return aside !== null;
    };
    try {
      // What only Discord knows of where posts go is checked before a new post (once a run: `checked` keeps its answer).
      const where = p.postId ? dest : await checked();
      if ('pause' in where) {
        onGone(where.pause);
        return 'stop';
      }
      const made = await posts.ensurePost(t, a, plan, p, stored !== null && !stored.postId && stored.attemptedAt !== null, where, signal);
      // Stopped for shutdown before its post was made: left unreported, like the articles after it, since it is neither done nor failed.
      if (made === null) return 'stop';
      posted = made;
    } catch (error) {
      // A set-aside article goes on to the next; after any other failed post the rest wait, so posts stay in order.
      // An article whose post exists already (an edit or its thread failed) holds no place in that order: the rest go on.
      const aside = await fail(error, 0);
      return aside || p.postId ? null : 'stop';
    }
    // The comments go on while the next article's post is made: its own thread, its own bucket.
    // Comments can only have been sent by an earlier run once it had recorded the thread.
    const comments = tree.post(t, a, plan, p, stored?.threadId != null, signal).then(async ({ created: n, edited: e, left }) => {
      if (left > 0) {
        // Not finished, and not failed either: the job keeps it due and the next run goes on from here.
        report({ articleId: a.id, action, created: posted.created + n, edited: posted.edited + e, error: null, commentsLeft: left });
        return;
      }
      p.complete = true;
      await save(t, a.id, p);
      report({ articleId: a.id, action, created: posted.created + n, edited: posted.edited + e, error: null });
    });
    // Never rejects: the run waits for every thread, and one whose outcome cannot be recorded is that article's error.
    const settled = comments.catch(async (error: unknown) => {
      try {
        await fail(error, posted.created);
      } catch (recording) {
        log.error({ channel: t.channelId, article: a.id, error: errorMessage(error), err: recording }, 'could not record why an article stopped');
        report({
          articleId: a.id,
          action,
          created: posted.created,
          edited: posted.edited,
          error: `${errorMessage(error)}; and recording it failed: ${errorMessage(recording)}`,
        });
      }
    });
    return { comments: settled };
  }

  return {
    async plan(t, articles) {
      const work: ArticleWork[] = [];
      const dest = destinationOf(t, log, () => new Date(clock()));
      for (const a of articles) {
        let plan: ArticlePlan;
        try {
          plan = planFor(planArticle(a, poster, t.options), a, dest);
        } catch (error) {
          // A run sets it aside (deliverOne) and goes on: the dry run says so, rather than failing for every article.
          work.push({ articleId: a.id, title: a.title, action: 'post', messages: 0, setAside: notLaidOut(error) });
          continue;
        }
        const stored = await load(t, a.id);
        const { action, pending } = actionOf(stored, plan, a, await recordedFor(t, a.id, stored));
        work.push({ articleId: a.id, title: a.title, action, messages: pending + (stored?.postId ? 0 : 1) });
      }
      return work;
    },

    async deliver(t, articles, options) {
      const results: ArticleResult[] = [];
      let pause: { reason: string } | null = null;
      const threads = new PQueue({ concurrency: THREADS_IN_FLIGHT });
      const stopping = (): boolean => pause !== null || options?.signal?.aborted === true;
      // Rules read relative dates (published > 12h) from the run's clock.
      const dest = destinationOf(t, log, options?.now ?? (() => new Date(clock())));
      let checking: Promise<Destination | { pause: string }> | undefined;
      const checked = (): Promise<Destination | { pause: string }> => (checking ??= checkedDestination(poster, t, dest, log));
      try {
        for (const a of articles) {
          if (stopping()) break;
          // A slot first, then the post: an article is posted only when its thread can start on its
          // comments at once, and its comments go on in that slot while the next article is posted.
          // Stopped while it waited, it is left unreported like the articles after it: neither done nor failed.
          const task = await postInSlot(threads, stopping, () =>
            deliverOne(
              t,
              a,
              options?.signal,
              (r) => results.push(r),
              (reason) => (pause ??= { reason }),
              dest,
              checked,
            ),
          );
          // Posts keep their order in the channel: after a post that failed, the rest wait for the next run.
          if (task === 'stop') break;
        }
      } finally {
        // Even when an article's post could not be recorded (this run then fails), no thread goes on
        // posting after the run: the next one would work on the same progress records at the same time.
        await threads.onIdle();
      }
      const report: DeliveryReport = { results, pause };
      if (report.pause) log.warn({ channel: t.channelId, reason: report.pause.reason }, 'target cannot take posts');
      return report;
    },

    async delivered(t, articleId) {
      return (await load(t, articleId))?.postId != null;
    },
  };
}
