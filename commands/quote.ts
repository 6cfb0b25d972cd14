/** /quote: a passage of an article or its comments, verbatim, as a block quote with its citation. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { Article } from '../src/core/model.ts';
import { LIMITS, truncate } from '../src/core/limits.ts';
import { findQuote } from '../src/core/text/quote.ts';
import { defineCommand } from '../src/ui/discord/command.ts';
import { commentLabel, placeOf, showTime } from '../src/app/views/format.ts';
import { blockQuote, escape } from '../src/app/views/markdown.ts';
import { UserError, type View } from '../src/core/view.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

export function quoteView(article: Article, about: string | undefined, from: 'article' | 'comments'): View {
  const quote = findQuote(article, { about, from });
  const title = escape(truncate(article.title, 200, '…').text);
  if (!quote) {
    const topic = about ? ` about "${escape(truncate(about, 200, '…').text)}"` : '';
    throw new UserError(`No passage${topic} in ${from === 'comments' ? 'the comments on ' : ''}"${title}".`);
  }
  const s = quote.source;
  let citation: string;
  if (s.kind === 'article') citation = `— *${escape(article.title)}*, ${escape(placeOf(article.body, s.block))}`;
  else {
    const parts = [escape(commentLabel({ id: s.commentId, number: s.number }))];
    if (s.author) parts.push(`by ${escape(s.author)}`);
    if (s.postedAt) parts.push(showTime(s.postedAt));
    if (s.rating !== null) parts.push(`rating ${s.rating}`);
    citation = `— ${parts.join(', ')}, on *${escape(article.title)}*`;
  }
  const room = LIMITS.embedDescription - Math.min(citation.length, 1000) - 2;
  return {
    embeds: [
      {
        title: truncate(escape(article.title), LIMITS.embedTitle).text,
        url: article.url,
        description: `${truncate(blockQuote(quote.text), room).text}\n${truncate(citation, 1000).text}`,
        footer: `Quoted verbatim · id ${article.id}`,
      },
    ],
  };
}

export default defineCommand({
  definition: {
    name: 'quote',
    description: 'Quote a passage of an article or its comments, with its source',
    options: [
      articleOption,
      { type: ApplicationCommandOptionType.String, name: 'about', description: 'Topic words (default: a notable passage)', max_length: 200 },
      {
        type: ApplicationCommandOptionType.String,
        name: 'from',
        description: 'Quote the article or its comments (default article)',
        choices: [
          { name: 'article', value: 'article' },
          { name: 'comments', value: 'comments' },
        ],
      },
    ],
  },
  options: z.object({ article: z.string().min(1), about: z.string().optional(), from: z.enum(['article', 'comments']).default('article') }),
  defer: true,
  run: ({ article, about, from }, { store }) => quoteView(requireArticle(store, article), about, from),
  autocomplete: (focused, { store }) => articleChoices(store, focused.value),
});
