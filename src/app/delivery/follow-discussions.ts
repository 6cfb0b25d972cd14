/**
 * A subscription with `followDiscussions` has the discussion each article it delivers links to (a
 * feed item's comments link) followed at its source, so the comments written there come in too.
 * Following is a side matter of delivery: one that fails is logged with its reason and delivery goes on.
 */
import type { Logger } from '../../core/log.ts';
import type { Article } from '../../core/model.ts';
import { errorMessage } from '../../core/errors.ts';
import type { DeliveryReport } from './engine-types.ts';
import type { Subscription } from './subscriptions.ts';

/** What delivery needs of the followed discussions (src/app/discussion/follow.ts's DiscussionFollows). */
export interface DiscussionFollower {
  add(url: string, options: { readonly articleId: string; readonly by: string; readonly now: Date }): Promise<{ readonly existed: boolean }>;
}

/** Who asked, as a followed discussion records it: the subscription of a channel. */
export function followedBy(sub: Pick<Subscription, 'channelId'>): string {
  return `subscription:${sub.channelId}`;
}

/**
 * Follows the discussions of the articles this run delivered whole to `sub`: posted, or finished
 * after an earlier run stopped part way, and not set aside. An article updated later (an append or
 * an edit) was followed when it was posted, so the follow is asked for once per article, not per run.
 */
export async function followDelivered(
  follower: DiscussionFollower | undefined,
  sub: Subscription,
  articles: readonly Article[],
  report: DeliveryReport,
  log: Logger,
  now: () => Date,
): Promise<number> {
  if (!follower || sub.followDiscussions !== true) return 0;
  const byId = new Map(articles.map((a) => [a.id, a]));
  let followed = 0;
  for (const r of report.results) {
    if ((r.action !== 'post' && r.action !== 'resume') || r.error !== null || r.setAside === true) continue;
    const url = byId.get(r.articleId)?.commentsUrl;
    if (!url) continue;
    const fields = { channel: sub.channelId, guild: sub.guildId, article: r.articleId, discussion: url };
    try {
      const { existed } = await follower.add(url, { articleId: r.articleId, by: followedBy(sub), now: now() });
      if (!existed) followed++;
      log.info(fields, existed ? 'discussion of a delivered article was followed already' : 'following the discussion of a delivered article');
    } catch (error) {
      // A link to something that is not a discussion Paperboy can follow, or the state out of reach: the article is delivered all the same.
      log.warn({ ...fields, reason: errorMessage(error) }, 'could not follow the discussion of a delivered article; delivery goes on');
    }
  }
  return followed;
}
