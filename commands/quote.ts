/** /quote: a passage of an article or its comments, verbatim, as a block quote with its citation. */
import { findComment, quotePassage } from '../src/app/library/quote.ts';
import { citationLine, citationLink } from '../src/app/views/citation.ts';
import { blockQuote, escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { Article } from '../src/core/model.ts';
import type { View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { choice, namedAsValues, options, text } from '../src/ui/discord/options.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

/** A title or topic repeated in a sentence is cut here. */
const SHOWN_CHARS = 200;
/** A citation is cut here, so a huge title cannot push the passage out of the embed. */
const CITATION_CHARS = 1000;
/**
 * A passage is cut here (only a run-on sentence is this long), so that with its citation it stays
 * within one embed description and the citation is never the part cut off.
 */
const PASSAGE_CHARS = 3000;

/**
 * The view of a quote from `article`: from its text, its comments, or (with `comment`, an id, number
 * or link) that one comment.
 */
export function quoteView(article: Article, about: string | undefined, from: 'article' | 'comments', comment?: string): View {
  const title = escape(truncate(article.title, SHOWN_CHARS, '…').text);
  const topic = about ? ` about "${escape(truncate(about, SHOWN_CHARS, '…').text)}"` : '';
  const picked = comment === undefined ? undefined : findComment(article, comment);
  if (picked === null) throw new UserError('not-found', `No comment "${escape(truncate(comment ?? '', SHOWN_CHARS, '…').text)}" on "${title}".`);
  if (picked?.deleted) throw new UserError('not-found', 'That comment was deleted at its source: there is nothing left to quote.');
  const cited = quotePassage(article, picked ? { about, from: 'comments', comment: picked.id } : { about, from });
  if (!cited)
    throw new UserError('not-found', `No passage${topic} in ${picked ? 'that comment on ' : from === 'comments' ? 'the comments on ' : ''}"${title}".`);
  // The link is never cut (a cut link leads nowhere): the passage gives up its room.
  const link = citationLink(cited.citation);
  const passage = truncate(blockQuote(cited.quote.text), PASSAGE_CHARS - (link === null ? 0 : link.length + 1)).text;
  return {
    embeds: [
      {
        title: escape(article.title),
        url: article.url,
        description: `${passage}\n${truncate(citationLine(cited.citation, 'quote'), CITATION_CHARS).text}${link === null ? '' : `\n${link}`}`,
        footer: `Quoted verbatim · id ${article.id}`,
      },
    ],
  };
}

export default slashCommand({
  definition: { name: 'quote', description: 'Quote a passage of an article or its comments, with its source' },
  options: options({
    article: articleOption,
    about: text({ description: 'Topic words (default: a notable passage)', max_length: 200 }),
    from: choice({
      description: 'Quote the article or its comments (default article)',
      choices: namedAsValues(['article', 'comments']),
      default: 'article',
    }),
    comment: text({ description: 'One comment: its id, number or link (as /article shows it)', max_length: 1000 }),
  }),
  defer: true,
  deferFirst: true,
  run: async ({ article, about, from, comment }, { store }) => quoteView(await requireArticle(store, article), about, from, comment),
  autocomplete: (focused, { store }, max) => articleChoices(store, focused.value, max),
});
