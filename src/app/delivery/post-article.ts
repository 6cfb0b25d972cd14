/**
 * One article's post and its thread, made exactly once or found, and the post edited in place when
 * what it shows changes: through whoever made it (the bot, or the webhook recorded in its progress),
 * whatever the subscription's settings say since. A webhook a moderator deleted takes the ability to
 * edit its posts with it: such a post is left as it is, and the log says so once per change.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../../core/model.ts';
import type { DeliveryProgress as Progress } from '../../core/state.ts';
import type { Logger } from '../../core/log.ts';
import type { ArticleThread } from '../discussion/threads.ts';
import type { ArticleAction, Target } from './engine-types.ts';
import { changedSteps, type Recorded } from './tree-comments.ts';
import type { Finder } from './find-post.ts';
import { type ArticlePlan, nonceFor } from './messages.ts';
import { type Poster, unlessAborted, type WebhookPlace } from './poster.ts';
import type { Destination } from './destination.ts';
import { refusedOutright } from './refusal.ts';

export function bodyHash(a: Article): string {
  return createHash('sha256').update(a.title).update('\u0000').update(JSON.stringify(a.body)).digest('base64url').slice(0, 16);
}

/** The record of an article nothing has been posted for yet. */
export function freshProgress(a: Article): Progress {
  return { postId: null, threadId: null, postHash: null, bodyHash: bodyHash(a), done: [], lastId: null, complete: false };
}

/**
 * What an article needs done where its progress `p` says it stands. `recorded`: the messages of the article's steps, whose digests tell which comments changed at their source.
 * Digests cover a comment's words, not the score in its header: a score moving at every sync is no work.
 */
export function actionOf(p: Progress | null, plan: ArticlePlan, article: Article, recorded: Recorded): { action: ArticleAction; pending: number } {
  const done = new Set(p?.done ?? []);
  const pending = plan.comments.filter((s) => !done.has(s.key)).length;
  const changed = changedSteps(plan, p, recorded).length;
  if (!p?.postId) return { action: 'post', pending };
  if (!p.complete || !p.threadId) return { action: 'resume', pending };
  if (p.bodyHash !== bodyHash(article)) return { action: 'edit', pending };
  if (pending > 0 || changed > 0 || p.postHash !== plan.postHash) return { action: 'append', pending };
  return { action: 'none', pending };
}

export interface PostDeps {
  readonly poster: Poster;
  readonly log: Logger;
  readonly finder: Finder;
  readonly save: (t: Target, articleId: string, p: Progress) => Promise<void>;
  readonly clock: () => number;
  readonly onThread?: (thread: ArticleThread) => Promise<void>;
}

export interface PostMaker {
  /**
   * The post and its thread, made or found; edits the post when it changed. Returns messages
   * created and edited, or null when shutdown came while the post waited for Discord (not done, and
   * not failed: the next run looks for it before posting). `unrecorded`: an earlier run set out to
   * make the post and recorded no id, so it may exist; only then is Discord searched for it.
   */
  ensurePost(
    t: Target,
    a: Article,
    plan: ArticlePlan,
    p: Progress,
    unrecorded: boolean,
    dest: Destination,
    signal: AbortSignal | undefined,
  ): Promise<{ created: number; edited: number } | null>;
}

export function createPostMaker(deps: PostDeps): PostMaker {
  const { poster, log, finder, save, clock } = deps;

  /**
   * Makes the post: through the channel's webhook under the subscription's name, as a forum post,
   * or as the bot's message (in the channel or the shared thread). A message with a nonce is not
   * waited for at shutdown (null: the next run looks for it, as after a crash); a forum post or a
   * webhook message takes no nonce, so one whose answer is lost is looked for before it is made again.
   */
  function makePost(
    t: Target,
    a: Article,
    plan: ArticlePlan,
    p: Progress,
    attemptedAt: number,
    dest: Destination,
    signal: AbortSignal | undefined,
  ): Promise<string | null> {
    const { identity, sharedThread } = dest;
    if (identity !== null) {
      const place: WebhookPlace =
        t.kind === 'forum' ? { threadName: plan.threadName, tags: dest.tags(a) } : sharedThread !== null ? { threadId: sharedThread } : null;
      return finder.makeOnce(t, a.id, plan, attemptedAt, dest, () => poster.sendAs(t.channelId, identity, plan.post, place));
    }
    if (t.kind === 'forum')
      return finder.makeOnce(t, a.id, plan, attemptedAt, dest, () => poster.forumPost(t.channelId, plan.threadName, plan.post, dest.tags(a)));
    const step = p.reposts ? `post.${p.reposts}` : 'post';
    return unlessAborted(poster.send(sharedThread ?? t.channelId, plan.post, nonceFor(t.channelId, a.id, step), signal), signal);
  }

  /**
   * Edits the post as it was made. Returns whether it was edited: a post of a webhook since deleted
   * is not, and is logged; its new digest is recorded all the same, so the log says it once a change.
   */
  async function editPost(t: Target, a: Article, plan: ArticlePlan, p: Progress & { postId: string }, dest: Destination): Promise<boolean> {
    // A forum post's starter message lives in its thread, as does a post in a shared thread.
    const inThread = t.kind === 'forum' || dest.sharedThread !== null ? p.threadId : null;
    if (!p.via) {
      await poster.edit(inThread ?? t.channelId, p.postId, plan.post);
      return true;
    }
    if (await poster.editAs(t.channelId, p.via.webhookId, p.postId, plan.post, inThread)) return true;
    log.warn(
      { channel: t.channelId, article: a.id, post: p.postId, webhook: p.via.webhookId },
      'the article changed, but the webhook that made its post was deleted and no other can edit it; the post is left as it is',
    );
    return false;
  }

  async function ensurePost(
    t: Target,
    a: Article,
    plan: ArticlePlan,
    p: Progress,
    unrecorded: boolean,
    dest: Destination,
    signal: AbortSignal | undefined,
  ): Promise<{ created: number; edited: number } | null> {
    let created = 0;
    let edited = 0;
    if (!p.postId) {
      const found = unrecorded ? await finder.findPost(t, a.id, plan, p.attemptedAt ?? undefined, dest) : null;
      const attemptedAt = clock();
      if (found === null) {
        // Recorded before the post is made, so the next run knows to look for it, and from when.
        p.attemptedAt = attemptedAt;
        await save(t, a.id, p);
        created++;
      }
      try {
        const made = found ?? (await makePost(t, a, plan, p, attemptedAt, dest, signal));
        if (made === null) return null;
        p.postId = made;
      } catch (error) {
        if (refusedOutright(error)) {
          // Discord answered no, so nothing was made: the next attempt need not read the channel back for it.
          p.attemptedAt = null;
          await save(t, a.id, p);
        }
        throw error;
      }
      // Made (or found) where this destination posts: through the channel's webhook (known to the poster by now) or by the bot.
      if (dest.identity !== null) p.via = { webhookId: await poster.webhookId(t.channelId) };
      else delete p.via;
      // A forum post is its thread; a post in a shared thread has that thread.
      if (t.kind === 'forum') p.threadId = p.postId;
      if (dest.sharedThread !== null) p.threadId = dest.sharedThread;
      p.postHash = plan.postHash;
      p.bodyHash = bodyHash(a);
      await save(t, a.id, p);
    }
    if (!p.threadId) {
      p.threadId = await poster.startThread(t.channelId, p.postId, plan.threadName);
      await save(t, a.id, p);
    }
    // A shared thread's replies are about no one article.
    if (!p.complete && dest.sharedThread === null)
      await deps.onThread?.({ threadId: p.threadId, articleId: a.id, guildId: t.guildId, parentId: t.channelId, lastMessageId: null });
    // A post just made (and its thread) is saved already: only an edit (made or not) or a changed body is new.
    let changed = false;
    if (p.postHash !== plan.postHash) {
      if (await editPost(t, a, plan, { ...p, postId: p.postId }, dest)) edited++;
      p.postHash = plan.postHash;
      changed = true;
    }
    const hash = bodyHash(a);
    if (p.bodyHash !== hash) {
      p.bodyHash = hash;
      changed = true;
    }
    if (changed) await save(t, a.id, p);
    return { created, edited };
  }

  return { ensurePost };
}
