/**
 * Finding a post whose fate is unknown, so it is never made twice: one an earlier run set out to
 * make and never recorded (it crashed, or Discord's answer was lost), and a forum post, which takes
 * no nonce, whose answer did not come back. Text channels are read from the moment the post was
 * attempted, page by page; forums are searched by the post's footer among active and archived threads.
 */
import type { Logger } from '../../core/log.ts';
import type { Target } from './engine-types.ts';
import { type ArticlePlan, postFooter } from './messages.ts';
import { OutcomeUnknown, type Poster, readAfter, snowflakeAt } from './poster.ts';

/**
 * Pages of 100 read in a channel at most, from the moment a post was attempted: 5,000 messages.
 * Reaching it is logged, since a post further back would be made again.
 */
export const POST_SEARCH_PAGES = 50;
/** Searches start this long before the recorded attempt: Discord's clock and ours may differ. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Forum posts attempted per article and run when Discord's answer is lost each time (each attempt looks first). */
const FORUM_POST_ATTEMPTS = 3;

export interface Finder {
  /**
   * The post an earlier run set out to make at `attemptedAt` (epoch ms; undefined for records older
   * than that field, when only the newest page can be read), if Discord has it. Returns its id.
   */
  findPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number | undefined): Promise<string | null>;
  /** Makes a forum post once: when Discord's answer is lost, the forum is searched before it is made again. */
  makeForumPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number): Promise<string>;
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

  async function findPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number | undefined): Promise<string | null> {
    const since = attemptedAt === undefined ? undefined : attemptedAt - CLOCK_SKEW_MS;
    const footer = postFooter(articleId);
    if (t.kind === 'forum') return poster.findForumPost(t.guildId, t.channelId, plan.threadName, footer, since, boundReached(t, articleId, since));
    const { found, bound } = await readAfter(poster, t.channelId, since === undefined ? null : snowflakeAt(since), POST_SEARCH_PAGES, (page) =>
      page.find((m) => m.authorId === poster.botId() && m.footer === footer),
    );
    if (found) return found.id;
    if (!bound) return null;
    log.warn(
      { channel: t.channelId, article: articleId, messages: POST_SEARCH_PAGES * 100, since: new Date(since ?? 0).toISOString() },
      'looked for a post an earlier run attempted and stopped at the search bound before reaching the present; posting it again (it may show twice)',
    );
    return null;
  }

  async function makeForumPost(t: Target, articleId: string, plan: ArticlePlan, attemptedAt: number): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await poster.forumPost(t.channelId, plan.threadName, plan.post);
      } catch (error) {
        if (!(error instanceof OutcomeUnknown)) throw error;
        const since = attemptedAt - CLOCK_SKEW_MS;
        const found = await poster.findForumPost(t.guildId, t.channelId, plan.threadName, postFooter(articleId), since, boundReached(t, articleId, since));
        if (found) {
          log.info({ channel: t.channelId, article: articleId, thread: found }, 'forum post made though its answer was lost; found and kept');
          return found;
        }
        if (attempt >= FORUM_POST_ATTEMPTS) throw error;
        log.warn(
          { channel: t.channelId, article: articleId, attempt, error: error.message },
          'forum post got no answer and is not in the forum; making it again',
        );
      }
    }
  }

  return { findPost, makeForumPost };
}
