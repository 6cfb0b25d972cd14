/**
 * Posting an article's comments into its thread as a tree, exactly once: in tree order, each
 * comment's first message a Discord reply to its parent comment's message, every message recorded
 * (delivery_messages) with the step's progress in one write. A run sends at most `commentsPerRun`
 * messages (new ones and edits); a discussion's run stopped there ends with a note of how many
 * replies follow. Comments edited or deleted at their source have their messages edited.
 */
import type { Article } from '../../core/model.ts';
import type { DeliveryProgress as Progress } from '../../core/state.ts';
import type { DeliveryProgressRepository, StepMessage } from '../../adapters/store/delivery-progress.ts';
import type { Logger } from '../../core/log.ts';
import type { Target } from './engine-types.ts';
import { type ArticlePlan, nonceFor, postedAs, postedDigest, type Step, stepKey, textDigest } from './messages.ts';
import { NotInDiscord, type PostedMessage, type Poster, readAfter, unlessAborted } from './poster.ts';
import { moreNote, noteKey } from './tree-note.ts';

/** Pages of 100 read back in a thread when resuming: people may have replied since the bot's last message. */
const RESUME_PAGES = 10;

export interface TreeDeps {
  readonly poster: Poster;
  readonly progress: DeliveryProgressRepository;
  readonly log: Logger;
  readonly commentsPerRun: number;
}

/** The messages recorded for an article's steps in its current thread, by step key. */
export type Recorded = ReadonlyMap<string, StepMessage>;

export async function recordedIn(progress: DeliveryProgressRepository, t: Target, articleId: string, threadId: string | null): Promise<Recorded> {
  if (threadId === null) return new Map();
  // Rows of a thread deleted since (the article posted afresh) name messages that are gone.
  const rows = await progress.messages(t.channelId, articleId);
  return new Map(rows.filter((m) => m.threadId === threadId).map((m) => [m.key, m]));
}

/** What a comment's message says once an edit at the source made the comment shorter than the messages posted for it. */
export const SHORTENED = '*(the rest of this comment was removed by an edit at the source)*';
/** What the messages past a comment's first say once the comment was deleted at its source (its first says DELETED_AT_SOURCE). */
export const DELETED_REST = '*(the rest of this comment was deleted at the source)*';

/**
 * Steps posted already whose text changed since (edited or deleted at the source): their messages
 * are edited. A comment that now needs fewer messages than it was posted in has the parts past its
 * end edited to say so, rather than left showing words its author took back. A change of score
 * alone is none: digests cover a comment's words, not its header.
 */
export function changedSteps(plan: ArticlePlan, p: Progress | null, recorded: Recorded): Step[] {
  const done = new Set(p?.done ?? []);
  const changed = plan.comments.filter((s) => {
    const m = recorded.get(s.key);
    return done.has(s.key) && m !== undefined && m.digest !== s.digest;
  });
  const planned = new Set(plan.comments.map((s) => s.key));
  const deleted = new Map(plan.comments.map((s) => [s.commentId, s.deleted]));
  for (const m of recorded.values()) {
    // `c:<comment id>:<part>`; a comment id may hold colons itself (discourse:host:9).
    const cut = m.key.lastIndexOf(':');
    const commentId = m.key.slice(2, cut);
    const gone = deleted.get(commentId);
    if (!m.key.startsWith('c:') || planned.has(m.key) || gone === undefined || !done.has(m.key)) continue;
    const content = gone ? DELETED_REST : SHORTENED;
    const digest = textDigest(content);
    if (m.digest === digest) continue;
    const part = Number(m.key.slice(cut + 1));
    changed.push({ key: m.key, message: { content }, commentId, part, parentId: null, digest, deleted: gone, link: null });
  }
  return changed;
}

/** Whether message id `a` is later than `b`: Discord ids are snowflakes, ordered by time as numbers. */
function isAfter(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

export interface TreeOutcome {
  readonly created: number;
  readonly edited: number;
  /** Messages not sent or edited yet: the next run goes on from there. */
  readonly left: number;
}

export function createTreePoster(deps: TreeDeps) {
  const { poster, progress, log, commentsPerRun } = deps;

  /** The bot's messages in a thread after `afterId`, oldest first; reaching the bound is logged. */
  async function botMessagesAfter(threadId: string, afterId: string, articleId: string): Promise<PostedMessage[]> {
    const mine: PostedMessage[] = [];
    const { bound } = await readAfter(poster, threadId, afterId, RESUME_PAGES, (page) => {
      mine.push(...page.filter((m) => m.authorId === poster.botId()));
      return undefined;
    });
    if (bound) {
      log.warn(
        { thread: threadId, article: articleId, messages: RESUME_PAGES * 100 },
        'read a thread back to resume its comments and stopped at the search bound before reaching the present; comments made but not recorded after it may show twice',
      );
    }
    return mine;
  }

  /**
   * The message `step` answers: its parent comment's first message, when recorded in this thread; a
   * continuation posted in a later run than its first part (the run stopped between them, or an
   * edit made the comment longer) answers that first part.
   */
  function replyTarget(step: Step, recorded: Recorded, doneBefore: ReadonlySet<string>): string | undefined {
    if (step.part === 0) return step.parentId === null ? undefined : recorded.get(stepKey(step.parentId, 0))?.messageId;
    const first = stepKey(step.commentId, 0);
    return doneBefore.has(first) ? recorded.get(first)?.messageId : undefined;
  }

  /**
   * Posts the steps not yet posted, in order, adopting any already in the thread (a run that died
   * before recording them), then edits the ones whose text changed. Stops between messages at
   * shutdown (`signal`) or after `commentsPerRun` sends and edits; each message is recorded as it is made.
   */
  async function post(t: Target, a: Article, plan: ArticlePlan, p: Progress, resuming: boolean, signal: AbortSignal | undefined): Promise<TreeOutcome> {
    const threadId = p.threadId;
    if (!threadId) return { created: 0, edited: 0, left: 0 };
    const recorded = new Map(await recordedIn(progress, t, a.id, threadId));
    const doneBefore = new Set(p.done);
    const pending = plan.comments.filter((s) => !doneBefore.has(s.key));
    const changedBefore = changedSteps(plan, p, recorded).length;
    if (pending.length === 0 && changedBefore === 0) return { created: 0, edited: 0, left: 0 };
    // Messages made in a run that died before recording them; only read when resuming.
    const existing = resuming && pending.length > 0 ? await botMessagesAfter(threadId, p.lastId ?? threadId, a.id) : [];
    const record = async (key: string, messageId: string, digest: string, done: boolean): Promise<void> => {
      if (done) p.done.push(key);
      p.lastId = messageId;
      const m = { key, threadId, messageId, digest };
      recorded.set(key, m);
      await progress.putStep(t.channelId, a.id, p, m);
    };
    let created = 0;
    let edited = 0;
    const spent = (): boolean => created + edited >= commentsPerRun;
    for (const [i, step] of pending.entries()) {
      // Recognised by what a sync does not change (postedAs): a score moved since would otherwise post it twice.
      const match = existing.findIndex((m) => postedAs(step, m.content));
      const adopted = existing[match];
      let id: string;
      let digest = step.digest;
      if (adopted) {
        id = adopted.id;
        // What it shows, which may be words edited since: then it is edited below, like any changed comment.
        digest = postedDigest(step, adopted.content);
        existing.splice(0, match + 1);
      } else {
        if (signal?.aborted) return { created, edited, left: pending.length - i + changedBefore };
        if (spent()) {
          if (plan.imported) created += await noteMore(a, threadId, pending.slice(i), existing, recorded, p.lastId, record, signal);
          return { created, edited, left: pending.length - i + changedBefore };
        }
        const replyTo = replyTarget(step, recorded, doneBefore);
        const message = replyTo === undefined ? step.message : { ...step.message, replyTo };
        const sent = await unlessAborted(poster.send(threadId, message, nonceFor(threadId, a.id, step.key), signal), signal);
        if (sent === null) return { created, edited, left: pending.length - i + changedBefore };
        id = sent;
        created++;
      }
      await record(step.key, id, digest, true);
    }
    // Asked again now: a message adopted above may show older words than its comment has.
    const changed = changedSteps(plan, p, recorded);
    for (const [i, step] of changed.entries()) {
      if (signal?.aborted || spent()) return { created, edited, left: changed.length - i };
      const m = recorded.get(step.key);
      if (!m) continue;
      try {
        await poster.edit(threadId, m.messageId, step.message);
        edited++;
      } catch (error) {
        // A moderator deleted the message: nothing to edit, and nothing the article's post or thread did.
        if (!(error instanceof NotInDiscord && error.what === 'message')) throw error;
        log.info({ thread: threadId, article: a.id, step: step.key }, 'a comment changed at its source, and its message was deleted in Discord: not edited');
      }
      const done = { ...m, digest: step.digest };
      recorded.set(step.key, done);
      await progress.putMessage(t.channelId, a.id, done);
    }
    return { created, edited, left: 0 };
  }

  /**
   * The note that ends a run stopped at the cap: "N more replies follow in the next run". One per run
   * and thread: its key names the first step left, so a crash and a resend make no second one (the
   * nonce within Discord's window, the record or the thread read back after it). Returns 1 when sent.
   */
  async function noteMore(
    a: Article,
    threadId: string,
    rest: readonly Step[],
    existing: readonly PostedMessage[],
    recorded: ReadonlyMap<string, StepMessage>,
    lastId: string | null,
    record: (key: string, messageId: string, digest: string, done: boolean) => Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const first = rest[0];
    if (!first) return 0;
    const key = noteKey(first.key);
    if (recorded.has(key)) return 0;
    const content = moreNote(new Set(rest.map((s) => s.commentId)).size);
    // Only one after the last message recorded: an earlier note sent but never recorded (a run killed
    // after it) lies before this run's messages, and adopting it would take the record back there.
    const adopted = existing.find((m) => m.content === content && (lastId === null || isAfter(m.id, lastId)));
    const id = adopted?.id ?? (await unlessAborted(poster.send(threadId, { content }, nonceFor(threadId, a.id, key), signal), signal));
    if (id === null) return 0;
    await record(key, id, textDigest(content), false);
    return adopted ? 0 : 1;
  }

  return { post };
}
