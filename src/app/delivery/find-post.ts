/**
 * Finding a post whose fate is unknown, so it is never made twice: one an earlier run set out to
 * make and never recorded (it crashed, or Discord's answer was lost), and a forum post, which takes
 * no nonce, whose answer did not come back. Text channels are read from the moment the post was
 * attempted, page by page (a shared thread likewise); forums are searched by the post's footer among
 * active and archived threads. A post made through the bot's webhook has the webhook as its author.
 */
import type { Logger } from '../../core/log.ts';
import type { Target } from './engine-types.ts';
import { type ArticlePlan, postFooter } from './messages.ts';
import { OutcomeUnknown, type PostedMessage, type Poster, readAfter, snowflakeAt } from './poster.ts';
import type { Destination } from './destination.ts';

/**
 * Pages of 100 read in a channel at most, from the moment a post was attempted: 5,000 messages.
 * Reaching it is logged, since a post further back would be made again.
 */
export const POST_SEARCH_PAGES = 50;
/** Searches start this long before the recorded attempt: Discord's clock and ours may differ. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Posts without a nonce (forum posts, webhook messages) attempted per article and run when Discord's answer is lost each time (each attempt looks first). */
const POST_ATTEMPTS = 3;

export interface Finder {
  /**
   * The post an earlier run set out to make at `attemptedAt` (epoch ms; undefined for records older
   * than that field, when only the newest page can be read), if Discord has it. Returns its id.
   * Looked for where `dest` posts (the channel, its forum, or the shared thread), among the bot's
   * own messages and, for a webhook destination, its webhook's.
   */
  findPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number | undefined, dest: Destination): Promise<string | null>;
  /**
   * Makes a post that takes no nonce (a forum post, a webhook message) once: when Discord's answer
   * is lost (`make` throws OutcomeUnknown), the post is looked for before it is made again.
   */
  makeOnce(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number, dest: Destination, make: () => Promise<string>): Promise<string>;
}

/**
 * The post among `page` (oldest first): a message of `own` with `footer`. A message of the bot's
 * webhook whose footer Discord hid costs a request to read: only those of `own` are read, one at a
 * time and oldest first, so the search stops at the post, which is among the first after its attempt.
 */
async function postIn(page: readonly PostedMessage[], own: readonly string[], footer: string): Promise<PostedMessage | undefined> {
  for (const m of page) {
    if (!own.includes(m.authorId)) continue;
    if (m.footer === footer || (m.footer === null && m.revealFooter && (await m.revealFooter()) === footer)) return m;
  }
  return undefined;
}

export function createFinder(poster: Poster, log: Logger): Finder {
  /** Logs a forum search that stopped at its bound: a post older than the threads looked at would be made again. */
  const boundReached =
    (t: Target, articleId: string, since: number | undefined) =>
    (threads: number): void =>
      log.warn(
        { forum: t.channelId, article: articleId, threads, since: new Date(since ?? 0).toISOString() },
        'looked for a forum post among archived threads and stopped at the search bound before reaching the attempt; posting it again (it may show twice)',
      );

  /** Whose messages are the bot's posts: its own, and its webhook's when it posts through one (the webhook is the author then). */
  async function owners(t: Target, dest: Destination): Promise<string[]> {
    return dest.identity === null ? [poster.botId()] : [poster.botId(), await poster.webhookId(t.channelId)];
  }

  async function findPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number | undefined, dest: Destination): Promise<string | null> {
    const since = attemptedAt === undefined ? undefined : attemptedAt - CLOCK_SKEW_MS;
    const footer = postFooter(articleId);
    const own = await owners(t, dest);
    if (t.kind === 'forum') return poster.findForumPost(t.guildId, t.channelId, plan.threadName, footer, since, boundReached(t, articleId, since), own);
    const where = dest.sharedThread ?? t.channelId;
    const { found, bound } = await readAfter(poster, where, since === undefined ? null : snowflakeAt(since), POST_SEARCH_PAGES, (page) =>
      postIn(page, own, footer),
    );
    if (found) return found.id;
    if (!bound) return null;
    log.warn(
      { channel: where, article: articleId, messages: POST_SEARCH_PAGES * 100, since: new Date(since ?? 0).toISOString() },
      'looked for a post an earlier run attempted and stopped at the search bound before reaching the present; posting it again (it may show twice)',
    );
    return null;
  }

  async function makeOnce(
    t: Target,
    articleId: string,
    plan: ArticlePlan,
    attemptedAt: number,
    dest: Destination,
    make: () => Promise<string>,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await make();
      } catch (error) {
        if (!(error instanceof OutcomeUnknown)) throw error;
        const found = await findPost(t, articleId, plan, attemptedAt, dest);
        // A forum post's lines read as they always have; a webhook message's say what it was.
        const what = dest.identity !== null ? 'webhook post' : 'forum post';
        if (found) {
          log.info({ channel: t.channelId, article: articleId, thread: found }, `${what} made though its answer was lost; found and kept`);
          return found;
        }
        if (attempt >= POST_ATTEMPTS) throw error;
        const where = dest.identity !== null ? 'is not in the channel' : 'is not in the forum';
        log.warn({ channel: t.channelId, article: articleId, attempt, error: error.message }, `${what} got no answer and ${where}; making it again`);
      }
    }
  }

  return { findPost, makeOnce };
}
