/**
 * What the delivery engine needs from Discord, and nothing more: the discord.js side lives in
 * src/discord/discord-poster.ts. Every call goes through discord.js's REST queue, which follows
 * Discord's rate-limit headers.
 */
import type { OutMessage } from './messages.ts';

export interface PostedMessage {
  readonly id: string;
  readonly authorId: string;
  readonly content: string;
  readonly footer: string | null;
}

export interface Poster {
  /** The bot's user id: only its own messages are ever adopted as already posted. */
  botId(): string;
  /**
   * Sends with the nonce enforced, so a resend within Discord's window returns the first message.
   * When `signal` fires, a send still waiting for its rate-limit window is dropped unsent.
   */
  send(channelId: string, message: OutMessage, nonce: string, signal?: AbortSignal): Promise<string>;
  /** Starts a thread from a message; the thread's id is returned (Discord makes it the message's id). */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
  /**
   * A forum post: a thread whose starter message is `message`. Returns the thread id (= the
   * starter's id). Made once, never retried on its own (a forum post takes no nonce): when Discord's
   * answer leaves unknown whether it was made (5xx, timeout, connection lost), throws OutcomeUnknown.
   */
  forumPost(forumId: string, name: string, message: OutMessage): Promise<string>;
  /**
   * A forum post by the bot named `name` whose starter message has `footer`, if one exists (made
   * by a run that died before recording it, or whose answer was lost; forum posts take no nonce).
   * Active threads are searched, then archived ones back to `since` (epoch ms). Returns its thread id.
   */
  findForumPost(guildId: string, forumId: string, name: string, footer: string, since?: number): Promise<string | null>;
  edit(channelId: string, messageId: string, message: OutMessage): Promise<void>;
  /** Messages after `afterId` (all recent ones when null), oldest first, at most `limit` (≤ 100). */
  after(channelId: string, afterId: string | null, limit: number): Promise<PostedMessage[]>;
}

/** The channel or thread cannot take posts any more: deleted, or access or permission lost. */
export class TargetGone extends Error {
  override readonly name = 'TargetGone';
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
