/** /summarize: an extractive summary of an article (its own sentences, verbatim), or a digest of its discussion. */
import { articleFields, commentLabel, placeOf, plural, showTime } from '../src/app/views/format.ts';
import { escape, oneLine } from '../src/app/views/markdown.ts';
import { truncate } from '../src/core/text/truncate.ts';
import { type Article, commentText } from '../src/core/model.ts';
import { digest } from '../src/core/text/digest.ts';
import { summarize } from '../src/core/text/summarize.ts';
import type { EmbedField, View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { choice, namedAsValues, options } from '../src/ui/discord/options.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

export const LENGTHS = { short: 3, medium: 5, long: 8 } as const;
type Length = keyof typeof LENGTHS;

/**
 * How long the quoted sentences may be together. Escaping can double a sentence's length; this
 * leaves that room inside one embed description (4,096 characters).
 */
const SUMMARY_CHARS = 2048;
/** A comment or passage quoted in a list is cut here. */
const EXCERPT_CHARS = 120;

function header(article: Article): { title: string; url: string | null } {
  return { title: escape(article.title), url: article.url };
}

export function summaryView(article: Article, length: Length): View {
  const sentences = summarize(article, { sentences: LENGTHS[length], maxChars: SUMMARY_CHARS });
  // Sentences from one paragraph stay on one line; a new paragraph starts a new one.
  let description = '';
  sentences.forEach((s, i) => {
    const gap = i === 0 ? '' : sentences[i - 1]?.block === s.block ? ' ' : '\n\n';
    description += gap + escape(s.text);
  });
  if (description === '') description = '*There is no prose in this article to summarize.*';
  return {
    embeds: [
      {
        ...header(article),
        description,
        fields: articleFields(article),
        footer: `Summary: ${plural(sentences.length, 'sentence')} quoted verbatim from the article · id ${article.id}`,
      },
    ],
  };
}

function field(name: string, lines: readonly string[]): EmbedField {
  return { name, value: lines.join('\n') };
}

function excerpt(text: string): string {
  return escape(truncate(oneLine(text), EXCERPT_CHARS, '…').text);
}

export function discussionView(article: Article, length: Length): View {
  const d = digest(article, { sentences: LENGTHS[length], maxChars: SUMMARY_CHARS });
  const fields: EmbedField[] = [];
  if (d.count > 0) {
    const span = d.firstAt === null ? '' : d.firstAt === d.lastAt ? `, ${showTime(d.firstAt)}` : `, ${showTime(d.firstAt)} to ${showTime(d.lastAt)}`;
    fields.push(field('Comments', [`${plural(d.count, 'comment')}${span}`]));
    const r = d.ratings;
    if (r.rated > 0 && r.mean !== null) fields.push(field('Ratings', [`${r.rated} rated, from ${r.min} to ${r.max}, mean ${Number(r.mean.toFixed(2))}`]));
    if (d.top.length > 0) {
      const lines = d.top.map((ref) => {
        const c = article.comments.find((x) => x.id === ref.id);
        return `**${escape(commentLabel(ref))}** (rating ${ref.rating}): ${c ? excerpt(commentText(c)) || '*(no text)*' : ''}`;
      });
      fields.push(field('Top comments', lines));
    }
    if (d.quoted.length > 0) {
      fields.push(
        field(
          'Most quoted passages',
          d.quoted.map((q) => `${plural(q.comments, 'comment')}, ${escape(placeOf(article.body, q.block))}: "${excerpt(q.text)}"`),
        ),
      );
    }
  }
  const said = d.summary.map(
    (s) => `**${escape(commentLabel(s.comment))}${s.comment.author ? `, ${escape(s.comment.author)}` : ''}:** ${escape(oneLine(s.text))}`,
  );
  const description = d.count === 0 ? '*No comments yet.*' : said.length > 0 ? said.join('\n\n') : '*The comments have no sentences to quote.*';
  return {
    embeds: [
      {
        ...header(article),
        description,
        fields,
        footer: `Discussion digest: what readers said, quoted verbatim · id ${article.id}`,
      },
    ],
  };
}

export default slashCommand({
  definition: { name: 'summarize', description: 'Summarize an article, or its reader discussion, in its own words' },
  options: options({
    article: articleOption,
    length: choice({
      description: 'How long (default medium)',
      choices: Object.entries(LENGTHS).map(([name, n]) => ({ name: `${name} (${n} sentences)`, value: name as Length })),
      default: 'medium',
    }),
    of: choice({
      description: 'The article, or its discussion (default article)',
      choices: namedAsValues(['article', 'discussion']),
      default: 'article',
    }),
  }),
  defer: true,
  run: async ({ article, length, of }, { store }) => {
    const found = await requireArticle(store, article);
    return of === 'discussion' ? discussionView(found, length) : summaryView(found, length);
  },
  autocomplete: (focused, { store }, max) => articleChoices(store, focused.value, max),
});
