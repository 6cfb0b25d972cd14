/**
 * Thread replies as comments of their article. A reply's comment id is `discord:<message id>`, so
 * edits and deletions find it, and delivery knows not to post it back into the thread.
 */
import type { Comment } from './model.ts';

export const DISCORD_COMMENT_PREFIX = 'discord:';

export function isThreadReply(c: Pick<Comment, 'id'>): boolean {
  return c.id.startsWith(DISCORD_COMMENT_PREFIX);
}

export interface ThreadMessage {
  readonly id: string;
  readonly authorId: string;
  /** The name shown in the server (nickname, else global name, else user name). */
  readonly authorName: string;
  readonly content: string;
  /** ISO time it was posted. */
  readonly createdAt: string;
  /** The message it replies to, if any. */
  readonly replyToId: string | null;
}

/** Mentions of the bot are how people address it, not part of what they said. */
export function withoutBotMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), '').trim();
}

export function commentOf(message: ThreadMessage, botId: string): Comment {
  const text = withoutBotMention(message.content, botId);
  return {
    id: `${DISCORD_COMMENT_PREFIX}${message.id}`,
    number: null,
    author: message.authorName,
    authorId: message.authorId,
    postedAt: message.createdAt.replace(/\.\d+Z$/, 'Z'),
    rating: null,
    paragraphs: text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    quotes: [],
    replyTo: message.replyToId ? `${DISCORD_COMMENT_PREFIX}${message.replyToId}` : null,
  };
}
