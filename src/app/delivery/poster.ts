/**
 * What the delivery engine needs from Discord, and nothing more: the discord.js side lives in
 * src/ui/discord/discord-poster.ts, which renders each view with the Discord renderer. Every call
 * goes through discord.js's REST queue, which follows Discord's rate-limit headers.
 */
import type { MessageView } from '../../core/view.ts';

export interface PostedMessage {
  readonly id: string;
  readonly authorId: string;
  readonly content: string;
  /** Its first embed's footer; null when it has none, or Discord handed it over without embeds (then see `revealFooter`). */
  readonly footer: string | null;
  /**
   * Present on a message of the bot's webhook that Discord handed over without content or embeds (a
   * bot without the Message Content intent gets its webhook's messages so): reads its footer through
   * the webhook, one request. Left to the caller, so only the messages it may be looking for cost one.
   */
  readonly revealFooter?: () => Promise<string | null>;
}

/** What delivery checks of a channel before posting where a subscription's settings say (GET /channels/{id}). */
export interface ChannelFacts {
  readonly guildId: string | null;
  /** Whether it is a thread (public, private or an announcement channel's). */
  readonly thread: boolean;
  /** A thread's channel (a forum's, for a forum post); a channel's category; null for neither. */
  readonly parentId: string | null;
  /** A forum's tag ids (its available tags); empty for any other channel. */
  readonly tagIds: readonly string[];
}

/** The name and avatar a webhook message is sent under (a subscription's webhook identity). */
export interface Identity {
  readonly name: string;
  readonly avatarUrl: string | null;
}

/**
 * Where a webhook message goes: the webhook's channel itself (null), a thread of that channel, or a
 * new forum post with its name and tags (the webhook's channel is then a forum).
 */
export type WebhookPlace = { readonly threadId: string } | { readonly threadName: string; readonly tags: readonly string[] } | null;

export interface Poster {
  /** The bot's user id: only its own messages are ever adopted as already posted. */
  botId(): string;
  /**
   * A short digest of `message` as it will be sent. Stored with each post and compared on later
   * runs, so a post is edited exactly when what it shows changes; stable across releases.
   */
  digest(message: MessageView): string;
  /**
   * Sends with a nonce made from `nonce` (the same on every resend of this message) and enforced, so
   * a resend within Discord's window returns the first message. When `signal` fires, a send still
   * waiting for its rate-limit window is dropped unsent.
   */
  send(channelId: string, message: MessageView, nonce: string, signal?: AbortSignal): Promise<string>;
  /**
   * Starts a thread from a message; the thread's id is returned (Discord makes it the message's id).
   * `name` is the thread's title: the poster cuts it to what Discord allows, the same way each time.
   */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
  /**
   * A forum post: a thread whose starter message is `message`. Returns the thread id (= the
   * starter's id). Made once, never retried on its own (a forum post takes no nonce): when Discord's
   * answer leaves unknown whether it was made (5xx, timeout, connection lost), throws OutcomeUnknown.
   */
  forumPost(forumId: string, name: string, message: MessageView, tags?: readonly string[]): Promise<string>;
  /**
   * A forum post by the bot named `name` (cut as forumPost cuts it) whose starter message has `footer`, if one exists (made
   * by a run that died before recording it, or whose answer was lost; forum posts take no nonce).
   * Active threads are searched, then archived ones back to `since` (epoch ms). Returns its thread id.
   * The archived search has a bound: when it stops there before reaching `since`, it returns null
   * and calls `onBound` with the number of archived threads looked at, so the caller can log it.
   */
  findForumPost(
    guildId: string,
    forumId: string,
    name: string,
    footer: string,
    since?: number,
    onBound?: (threadsSearched: number) => void,
    /** Whose posts are the bot's own: the bot, and its webhook when it posts through one. Default the bot alone. */
    owners?: readonly string[],
  ): Promise<string | null>;
  /**
   * The id of the bot's webhook in `channelId` (a text channel or forum), found among the channel's
   * webhooks or made. Needs Manage Webhooks there: without it throws TargetGone saying so.
   */
  webhookId(channelId: string): Promise<string>;
  /**
   * Sends `message` through the bot's webhook in `channelId` under `identity`, into `place`; returns
   * the message's id (a forum post's, which is its thread's). Made once, never retried on its own (a
   * webhook takes no nonce): when Discord's answer leaves unknown whether it was made, throws OutcomeUnknown.
   */
  sendAs(channelId: string, identity: Identity, message: MessageView, place: WebhookPlace): Promise<string>;
  /**
   * Edits a message the bot's webhook `webhookId` in `channelId` sent (`threadId` when the message is
   * in a thread, a forum post's starter included). Resolves false, editing nothing, when that webhook
   * is gone (a moderator deleted it): no other webhook can edit its messages.
   */
  editAs(channelId: string, webhookId: string, messageId: string, message: MessageView, threadId: string | null): Promise<boolean>;
  edit(channelId: string, messageId: string, message: MessageView): Promise<void>;
  /** Messages after `afterId` (all recent ones when null), oldest first, at most `limit` (≤ 100). */
  after(channelId: string, afterId: string | null, limit: number): Promise<PostedMessage[]>;
  /**
   * Resolves when the channel is there and the bot can see it; throws NotInDiscord (deleted) or
   * TargetGone (access lost) otherwise. Tells a deleted thread from a deleted channel.
   */
  checkChannel(channelId: string): Promise<void>;
  /** What Discord says of the channel (or thread); throws as checkChannel does. */
  channel(channelId: string): Promise<ChannelFacts>;
}

/**
 * The channel cannot take posts any more: access or permission lost there (threads take their
 * channel's), or the bot may not send in it. About the whole subscription: it pauses.
 */
export class TargetGone extends Error {
  override readonly name = 'TargetGone';
}

/**
 * Discord does not know the channel (or thread) or the message a request named: it was deleted.
 * Whose it was decides what follows, and only the engine knows: the subscription's own channel
 * pauses it; one article's post or thread sets that article aside.
 */
export class NotInDiscord extends Error {
  override readonly name = 'NotInDiscord';
  constructor(
    message: string,
    /** What Discord does not know: the channel or thread `channelId`, or a message in it. */
    readonly what: 'channel' | 'message',
    readonly channelId: string,
  ) {
    super(message);
  }
}

/** Discord's answer was lost (5xx, timeout, connection reset): the request may or may not have taken effect. */
export class OutcomeUnknown extends Error {
  override readonly name = 'OutcomeUnknown';
}

/** 2015-01-01T00:00:00Z, the zero of every Discord id. */
const DISCORD_EPOCH = 1420070400000;

/** The smallest message id Discord could give at `ms` (epoch ms): reading `after` it reads from that moment on. */
export function snowflakeAt(ms: number): string {
  return (BigInt(Math.max(0, Math.floor(ms) - DISCORD_EPOCH)) << 22n).toString();
}

/**
 * Reads a channel's messages after `afterId`, 100 a page, oldest first, handing each page to
 * `visit` (which may read further, as a message's hidden footer) until it returns something (`found`), the present is reached, or `maxPages` are read
 * (`bound`: the caller logs it, since what lies further on was not looked at). With no `afterId`
 * only the newest page can be read.
 */
export async function readAfter<T>(
  poster: Poster,
  channelId: string,
  afterId: string | null,
  maxPages: number,
  visit: (page: readonly PostedMessage[]) => T | undefined | Promise<T | undefined>,
): Promise<{ found: T | undefined; bound: boolean }> {
  let cursor = afterId;
  for (let page = 0; page < maxPages; page++) {
    const batch = await poster.after(channelId, cursor, 100);
    const found = await visit(batch);
    if (found !== undefined) return { found, bound: false };
    const last = batch.at(-1);
    if (cursor === null || batch.length < 100 || !last) return { found: undefined, bound: false };
    cursor = last.id;
  }
  return { found: undefined, bound: true };
}

/**
 * The send's message id, or null as soon as `signal` fires, so a shutdown does not wait out a
 * rate-limit window (or a 429's Retry-After). A message abandoned on the wire may still have been
 * made: its nonce, and the thread read back on the next run, keep it from being posted twice.
 */
export function unlessAborted(sending: Promise<string>, signal: AbortSignal | undefined): Promise<string | null> {
  if (!signal) return sending;
  return new Promise((resolve, reject) => {
    const stop = (): void => resolve(null);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    sending.then(
      (id) => {
        signal.removeEventListener('abort', stop);
        resolve(id);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        // Dropped because of the stop (discord.js answers an AbortError): not a failure.
        if (signal.aborted) resolve(null);
        else reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
