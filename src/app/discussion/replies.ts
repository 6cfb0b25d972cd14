/**
 * An article's live discussion: replies written in its Discord thread kept as its comments, and
 * questions put to the bot answered from it. The thread handler (src/ui/discord/threads.ts) reads
 * Discord and calls these; they know nothing of discord.js.
 */
import type { ArticleStore } from '../../adapters/store/store.ts';
import { commentOf, DISCORD_COMMENT_PREFIX, type ThreadMessage } from '../../core/comments.ts';
import { answerFor } from './answer.ts';

/** Stores (or updates) a thread reply as a comment; whether it was stored (one with no visible text is not, nor one on a deleted article). */
export function storeReply(store: ArticleStore, articleId: string, message: ThreadMessage, botId: string): boolean {
  const article = store.get(articleId);
  const comment = commentOf(message, botId);
  if (!article || comment.paragraphs.length === 0) return false;
  store.upsert({ ...article, comments: [comment] });
  return true;
}

/** Removes the comment a deleted thread message had become. */
export function removeReply(store: ArticleStore, articleId: string, messageId: string): void {
  store.deleteComment(articleId, `${DISCORD_COMMENT_PREFIX}${messageId}`);
}

/** The answer to `question` (mention removed) from the article and its discussion; null when the article is gone. */
export function answerQuestion(store: ArticleStore, articleId: string, question: string, askerId: string): ReturnType<typeof answerFor> | null {
  const article = store.get(articleId);
  return article ? answerFor(article, question, askerId) : null;
}
