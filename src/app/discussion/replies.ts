/**
 * An article's live discussion: replies written in its Discord thread kept as its comments, and
 * questions put to the bot answered from it. The thread handler (src/ui/discord/threads.ts) reads
 * Discord and calls these; they know nothing of discord.js.
 */
import type { Store } from '../../adapters/store/contract.ts';
import { commentOf, DISCORD_COMMENT_PREFIX, type ThreadMessage } from '../../core/comments.ts';
import { answerFor } from './answer.ts';

/** Stores (or updates) a thread reply as a comment; whether it was stored (one with no visible text is not, nor one on a deleted article). */
export async function storeReply(store: Store, articleId: string, message: ThreadMessage, botId: string): Promise<boolean> {
  const article = await store.get(articleId);
  const comment = commentOf(message, botId);
  if (!article || comment.paragraphs.length === 0) return false;
  await store.upsert({ ...article, comments: [comment] });
  return true;
}

/** Removes the comment a deleted thread message had become. */
export async function removeReply(store: Store, articleId: string, messageId: string): Promise<void> {
  await store.deleteComment(articleId, `${DISCORD_COMMENT_PREFIX}${messageId}`);
}

/** The answer to `question` (mention removed) from the article and its discussion; null when the article is gone. */
export async function answerQuestion(store: Store, articleId: string, question: string, askerId: string): Promise<ReturnType<typeof answerFor> | null> {
  const article = await store.get(articleId);
  return article ? answerFor(article, question, askerId) : null;
}
