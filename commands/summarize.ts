/** /summarize: an extractive summary of an article (its own sentences, verbatim), or a digest of its discussion. */
import { articleFields, commentLabel, commentName, placeOf, plural, showTime } from '../src/app/views/format.ts';
import { commentUrl, scoreText } from '../src/app/views/comment-source.ts';
import { escape, oneLine } from '../src/app/views/markdown.ts';
import { truncate } from '../src/core/text/truncate.ts';
import { type Article, type Comment, commentText } from '../src/core/model.ts';
import { type DiscussionDigest, digest } from '../src/core/text/digest.ts';
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
/** A subthread's line in the digest: three fit one field (1,024) with room to spare; a longer one loses its link. */
const THREAD_LINE_CHARS = 340;
/** A subthread's opening sentence is cut here (with "…"), leaving its line room for a link. */
const OPENING_CHARS = 160;

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

const repliesText = (n: number): string => (n === 1 ? '1 reply' : `${n.toLocaleString('en-US')} replies`);

/** Who said a sentence of the summary: an imported comment's author and platform, else its label and author as before. */
function whoSaid(ref: Pick<Comment, 'id' | 'number' | 'author'>): string {
  const name = commentName(ref);
  return name === escape(commentLabel(ref)) && ref.author ? `${name}, ${escape(ref.author)}` : name;
}

/** A subthread: who opened it, its counts, the opening sentence verbatim (cut with "…" past the excerpt), a link when it fits. */
function threadLine(article: Article, t: DiscussionDigest['liveliest'][number]): string {
  const root = article.comments.find((c) => c.id === t.root.id);
  const counts = [repliesText(t.replies), plural(t.authors, 'author'), t.score === null ? null : `score ${t.score.toLocaleString('en-US')}`];
  const opening =
    t.opening === null ? (t.root.deleted ? '*(deleted at the source)*' : '*(no text)*') : `"${escape(truncate(oneLine(t.opening), OPENING_CHARS, '…').text)}"`;
  const line = `**${commentName({ ...t.root })}** (${counts.filter(Boolean).join(', ')}): ${opening}`;
  const url = root ? commentUrl(root) : null;
  const linked = url ? `${line} · [open](${url.replace(/\)/g, '%29')})` : line;
  return linked.length <= THREAD_LINE_CHARS ? linked : truncate(line, THREAD_LINE_CHARS, '…').text;
}

function arguedLine(article: Article, p: DiscussionDigest['argued'][number]): string {
  return `${plural(p.quotes, 'quote')}, ${repliesText(p.replies)} under ${p.quotes === 1 ? 'it' : 'them'}, ${escape(placeOf(article.body, p.block))}: "${excerpt(p.text)}"`;
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
        return `**${commentName({ ...ref, url: c?.url })}** (${(c && scoreText(c)) ?? `rating ${ref.rating}`}): ${c?.deleted ? '*(deleted at the source)*' : c ? excerpt(commentText(c)) || '*(no text)*' : ''}`;
      });
      fields.push(field('Top comments', lines));
    }
    if (d.liveliest.length > 0)
      fields.push(
        field(
          'Liveliest threads',
          d.liveliest.map((t) => threadLine(article, t)),
        ),
      );
    // Passages argued over (replies under the quotes) say so; quoted in passing, they are listed as before.
    if (d.argued.some((p) => p.replies > 0))
      fields.push(
        field(
          'Most argued passages',
          d.argued.map((p) => arguedLine(article, p)),
        ),
      );
    else if (d.quoted.length > 0) {
      fields.push(
        field(
          'Most quoted passages',
          d.quoted.map((q) => `${plural(q.comments, 'comment')}, ${escape(placeOf(article.body, q.block))}: "${excerpt(q.text)}"`),
        ),
      );
    }
  }
  const said = d.summary.map((s) => `**${whoSaid(s.comment)}:** ${escape(oneLine(s.text))}`);
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
  deferFirst: true,
  run: async ({ article, length, of }, { store }) => {
    const found = await requireArticle(store, article);
    return of === 'discussion' ? discussionView(found, length) : summaryView(found, length);
  },
  autocomplete: (focused, { store }, max) => articleChoices(store, focused.value, max),
});
