/** /article: an article in Discord-sized pages, then its comments, with buttons to page. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import type { Article } from '../src/core/model.ts';
import { LIMITS, truncate } from '../src/core/limits.ts';
import { articlePages } from '../src/app/views/article-pages.ts';
import { defineCommand } from '../src/ui/discord/command.ts';
import { articleFields } from '../src/app/views/format.ts';
import { escape } from '../src/app/views/markdown.ts';
import { type ButtonView, UserError, type View } from '../src/core/view.ts';
import { articleChoices, articleOption, requireArticle } from './article-option.ts';

/** The view of page `page` (1-based) of an article. */
export function articleView(article: Article, page: number): View {
  const { pages, firstCommentPage } = articlePages(article);
  if (page > pages.length) throw new UserError(`"${truncate(article.title, 200, '…').text}" has ${pages.length} page${pages.length === 1 ? '' : 's'}; page ${page} is past the end.`);
  const state = (p: number): ButtonView['state'] => (p >= 1 && p <= pages.length && p !== page ? ['article', article.id, String(p)] : null);
  const buttons: ButtonView[] = [
    { label: '◀ Previous', state: state(page - 1) },
    { label: 'Next ▶', state: state(page + 1), primary: true },
  ];
  // Comment pages are numbered from 1 for people, from 0 in ArticlePages.
  if (firstCommentPage !== null) buttons.push({ label: 'Comments', state: page <= firstCommentPage ? state(firstCommentPage + 1) : null });
  const where = firstCommentPage !== null && page > firstCommentPage ? 'comments' : 'article';
  return {
    embeds: [
      {
        title: truncate(escape(article.title), LIMITS.embedTitle).text,
        url: article.url,
        description: pages[page - 1] ?? '',
        fields: page === 1 ? articleFields(article) : [],
        footer: `Page ${page} of ${pages.length} (${where}) · id ${article.id}`,
      },
    ],
    buttons: pages.length > 1 ? buttons : [],
  };
}

export default defineCommand({
  definition: {
    name: 'article',
    description: 'Read an article page by page, then its comments',
    options: [articleOption, { type: ApplicationCommandOptionType.Integer, name: 'page', description: 'Page to open (default 1)', min_value: 1, max_value: 10000 }],
  },
  options: z.object({ article: z.string().min(1), page: z.number().int().min(1).default(1) }),
  defer: false,
  run: ({ article, page }, { store }) => articleView(requireArticle(store, article), page),
  autocomplete: (focused, { store }) => articleChoices(store, focused.value),
  component: ([id = '', page = ''], _values, { store }) => {
    const article = store.get(id);
    if (!article) throw new UserError('That article is no longer stored.');
    return { mode: 'update', view: articleView(article, Number(page)) };
  },
});
