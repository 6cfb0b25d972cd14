/**
 * The bot's answer to a question asked in an article's thread: the passage of the article and the
 * passage of its discussion that best answer it, verbatim and each with where it comes from. When
 * neither matches, it says so: nothing is made up.
 */
import type { Article } from '../../core/model.ts';
import type { MessageView } from '../../core/view.ts';
import { truncate } from '../../core/text/truncate.ts';
import { quotePassage } from '../library/quote.ts';
import { citationLine } from '../views/citation.ts';
import { blockQuote, escape } from '../views/markdown.ts';
import { isThreadReply } from '../../core/comments.ts';

/** Room for each passage, so that two with their citations fit one message. */
const PASSAGE_CHARS = 800;

/**
 * The reply, as a view (the renderer cuts it to Discord's length); `question` is what was asked,
 * mention removed. What the asker wrote in the thread (the question itself included) is left out:
 * quoting someone's own words back to them answers nothing.
 */
export function answerFor(article: Article, question: string, askerId: string): MessageView {
  const others = { ...article, comments: article.comments.filter((c) => !(isThreadReply(c) && c.authorId === askerId)) };
  const about = question.trim() || undefined;
  const found = [quotePassage(others, { about, from: 'article' }), quotePassage(others, { about, from: 'comments' })];
  const parts: string[] = [];
  for (const [i, cited] of found.entries()) {
    if (!cited) continue;
    parts.push(
      `${i === 0 ? '**From the article:**' : '**From the discussion:**'}\n${truncate(blockQuote(cited.quote.text), PASSAGE_CHARS).text}\n${citationLine(cited.citation, 'thread')}`,
    );
  }
  if (parts.length === 0) {
    const shown = escape(truncate(question.replace(/\s+/g, ' '), 200, '…').text);
    return { content: `Nothing in *${escape(truncate(article.title, 200, '…').text)}* or its discussion answers “${shown}”.` };
  }
  return { content: parts.join('\n\n') };
}
