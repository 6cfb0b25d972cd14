/**
 * What a failed delivery step means for the subscription: its channel (or the thread it posts
 * into) cannot take posts, so it pauses; the article will fail the same way on every run, so it is
 * set aside (deleted: a moderator deleted its post or thread); or neither, and the next run tries again.
 */
import type { Logger } from '../../core/log.ts';
import type { Destination } from './destination.ts';
import type { Target } from './engine-types.ts';
import { NotInDiscord, type Poster, TargetGone } from './poster.ts';
import { deletedPart, deletedReason, permanentRefusal } from './refusal.ts';

export type FailureVerdict = { pause: string } | { aside: string; deleted?: true } | { retry: true };

/**
 * What a failure means: the subscription's channel cannot take posts (pause), the article will fail
 * the same way on every run (set aside; `deleted` when a moderator deleted its post or thread), or
 * neither (the next run tries again).
 */
export async function judgeFailure(
  poster: Pick<Poster, 'checkChannel'>,
  log: Logger,
  t: Target,
  error: unknown,
  dest: Pick<Destination, 'sharedThread'>,
): Promise<FailureVerdict> {
  if (error instanceof TargetGone) return { pause: error.message };
  if (!(error instanceof NotInDiscord)) {
    const refused = permanentRefusal(error);
    return refused === null ? { retry: true } : { aside: refused };
  }
  // The thread every post goes into is the subscription's destination, not one article's thread.
  if (error.what === 'channel' && error.channelId === dest.sharedThread) {
    return { pause: `the thread ${dest.sharedThread} this subscription posts into was deleted or cannot be seen (${error.message})` };
  }
  const part = deletedPart(error, t);
  if (part === 'channel') return { pause: error.message };
  if (error.what === 'channel') {
    // Deleting a channel deletes its threads: a thread unknown to Discord says nothing until the channel is asked about.
    try {
      await poster.checkChannel(t.channelId);
    } catch (about) {
      if (about instanceof TargetGone || about instanceof NotInDiscord) return { pause: about.message };
      log.warn({ channel: t.channelId, err: about }, 'could not ask Discord about the channel after a thread was not found; the next run tries again');
      return { retry: true };
    }
  }
  return { aside: deletedReason(part), deleted: true };
}
