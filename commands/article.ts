/** /article: an article in Discord-sized pages, then its comments, with buttons to page. */
import { storedArticle } from '../src/app/library/find.ts';
import { articlePages } from '../src/app/views/article-pages.ts';
import { articleFields } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { Article } from '../src/core/model.ts';
import type { ButtonView, View } from '../src/core/view.ts';
import { slashCommand } from '../src/ui/discord/command.ts';
import { integer, options } from '../src/ui/discord/options.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

/** A title repeated in a sentence is cut here. */
const TITLE_SHOWN = 200;

/** The view of page `page` (1-based) of an article. */
export function articleView(article: Article, page: number): View {
  const { pages, firstCommentPage, threadStarts } = articlePages(article);
  if (page > pages.length)
    throw new UserError(
      'bad-option',
      `"${truncate(article.title, TITLE_SHOWN, '…').text}" has ${pages.length} page${pages.length === 1 ? '' : 's'}; page ${page} is past the end.`,
    );
  const state = (p: number): ButtonView['state'] => (p >= 1 && p <= pages.length && p !== page ? ['article', article.id, String(p)] : null);
  const buttons: ButtonView[] = [
    { label: '◀ Previous', state: state(page - 1) },
    { label: 'Next ▶', state: state(page + 1), primary: true },
  ];
  // Comment pages are numbered from 1 for people, from 0 in ArticlePages.
  // On the last page of the body Next goes there already: two buttons with one state would share a
  // custom id, which Discord refuses, so Comments is disabled there.
  if (firstCommentPage !== null) buttons.push({ label: 'Comments', state: page < firstCommentPage ? state(firstCommentPage + 1) : null });
  // In a tree, a jump to the next answered thread: a long discussion runs to dozens of pages. Disabled
  // when another button goes there already (one state would be one custom id) or no thread follows.
  if (threadStarts && threadStarts.length > 0) {
    const next = threadStarts.find((i) => i + 1 > page);
    const target = next === undefined ? null : state(next + 1);
    const taken = buttons.some((b) => b.state !== null && target !== null && b.state.join('\u0000') === target.join('\u0000'));
    buttons.push({ label: 'Next thread ⏭', state: taken ? null : target });
  }
  const where = firstCommentPage !== null && page > firstCommentPage ? 'comments' : 'article';
  return {
    embeds: [
      {
        title: escape(article.title),
        url: article.url,
        description: pages[page - 1] ?? '',
        fields: page === 1 ? articleFields(article) : [],
        footer: `Page ${page} of ${pages.length} (${where}) · id ${article.id}`,
      },
    ],
    buttons: pages.length > 1 ? buttons : [],
  };
}

export default slashCommand({
  definition: { name: 'article', description: 'Read an article page by page, then its comments' },
  options: options({ article: articleOption, page: integer({ description: 'Page to open (default 1)', min_value: 1, max_value: 10000, default: 1 }) }),
  defer: false,
  run: async ({ article, page }, { store }) => articleView(await requireArticle(store, article), page),
  autocomplete: (focused, { store }, max) => articleChoices(store, focused.value, max),
  component: async ([id = '', page = ''], _values, { store }) => ({ mode: 'update', view: articleView(await storedArticle(store, id), Number(page)) }),
});
