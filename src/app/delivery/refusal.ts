/**
 * Which failures will not change on retry. Discord refusing a request itself (400 Invalid Form Body,
 * 50035; 413; 404 on a route) gets the same answer on every run, so the article that caused it is set
 * aside and the run goes on, instead of blocking every later article. So is an article whose post or
 * thread a moderator deleted: that is about the one article, not the channel. Failures about the
 * moment (429, 5xx, timeouts, a lost connection) are retried by the next run; failures about the
 * subscription's channel (401, 403, the channel deleted, access or permission lost there) pause the
 * subscription instead.
 *
 * The poster throws discord.js's DiscordAPIError, which carries the HTTP `status` and Discord's
 * `code`; they are read by shape, so nothing under src/app/delivery imports discord.js.
 */
import type { Target } from './engine-types.ts';
import { NotInDiscord, TargetGone } from './poster.ts';

/** About the target (auth, permissions), the moment (rate limit), or a timeout: not the request's fault. */
const NOT_PERMANENT = new Set([401, 403, 408, 429]);

/** The HTTP status of a 4xx answer Discord gave, read by shape; null for anything else. */
function clientErrorStatus(error: unknown): number | null {
  const status = error instanceof Error ? (error as Error & { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status <= 499 ? status : null;
}

/** The reason to set an article aside for, when `error` will recur on every retry; null when a retry may succeed. */
export function permanentRefusal(error: unknown): string | null {
  if (!(error instanceof Error) || error instanceof TargetGone || error instanceof NotInDiscord) return null;
  const status = clientErrorStatus(error);
  if (status === null || NOT_PERMANENT.has(status)) return null;
  const { code } = error as Error & { code?: unknown };
  const discordCode = typeof code === 'number' || typeof code === 'string' ? `, Discord code ${code}` : '';
  return `Discord refused it: ${error.message} (HTTP ${status}${discordCode})`;
}

/** Whether Discord answered a request with a refusal (a 4xx other than a timeout), so it made nothing. */
export function refusedOutright(error: unknown): boolean {
  if (error instanceof TargetGone || error instanceof NotInDiscord) return true;
  const status = clientErrorStatus(error);
  return status !== null && status !== 408;
}

/**
 * What a deleted-in-Discord error is about: the subscription's own channel (the subscription
 * pauses), or one article's post or thread (that article is set aside). A request names a message
 * only for an article's post (a forum post's starter message included), and a channel other than
 * the subscription's only for an article's thread, which in a forum is the post itself. A thread's
 * channel deleted takes its threads with it: the engine asks about the channel before blaming the article.
 */
export function deletedPart(error: NotInDiscord, target: Target): 'channel' | 'post' | 'thread' {
  if (error.what === 'message') return 'post';
  if (error.channelId === target.channelId) return 'channel';
  return target.kind === 'forum' ? 'post' : 'thread';
}

/** The reason shown in /subscriptions for an article whose post or thread was deleted. */
export function deletedReason(part: 'post' | 'thread'): string {
  return part === 'post' ? 'its post was deleted in Discord' : 'its thread was deleted in Discord';
}
