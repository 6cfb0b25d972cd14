/** The `article` option that /summarize, /quote and /article share: autocompleted titles, or an id or URL. */
import { ApplicationCommandOptionType, type APIApplicationCommandStringOption } from 'discord-api-types/v10';
import type { Article } from '../src/core/model.ts';
import { MIN_ID_PREFIX, findArticle } from '../src/adapters/store/find.ts';
import type { ArticleStore } from '../src/adapters/store/store.ts';
import { LIMITS, truncate } from '../src/core/limits.ts';
import { escape } from '../src/app/views/markdown.ts';
import { type Choice, UserError } from '../src/core/view.ts';

export const articleOption = {
  type: ApplicationCommandOptionType.String,
  name: 'article',
  description: 'Start typing a title, or paste an article id or URL',
  required: true,
  autocomplete: true,
  max_length: 2000,
} as const satisfies APIApplicationCommandStringOption;

export function articleChoices(store: ArticleStore, typed: string): Choice[] {
  return store.suggest(typed, LIMITS.autocompleteChoices).map((s) => ({ name: truncate(s.title, LIMITS.choiceName, '…').text, value: s.id }));
}

/** The article a person picked or typed; a UserError in plain words when there is none. */
export function requireArticle(store: ArticleStore, ref: string): Article {
  const found = findArticle(store, ref);
  if (found.article) return found.article;
  const shown = escape(truncate(ref.trim(), 100, '…').text);
  // A title someone typed without picking it can be short hex too ("bad"), so the usual hint follows.
  if (found.reason === 'short') throw new UserError(`"${shown}" is too short for an article id: an id prefix needs at least ${MIN_ID_PREFIX} hex digits. Start typing a title and pick one from the list, or paste an article id or URL.`);
  if (found.reason === 'ambiguous') throw new UserError(`More than one article id starts with "${shown}". Pick a title from the list instead.`);
  throw new UserError(`No article matches "${shown}". Start typing a title and pick one from the list, or paste an article id or URL.`);
}
