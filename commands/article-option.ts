/** The `article` option that /summarize, /quote and /article share: autocompleted titles, or an id or URL. */
import type { Store } from '../src/adapters/store/contract.ts';
// As a namespace: this module's requireArticle wraps find.ts's own, in the front end's words.
import * as find from '../src/app/library/find.ts';
import { escape } from '../src/app/views/markdown.ts';
import { UserError } from '../src/core/errors.ts';
import type { Article } from '../src/core/model.ts';
import { truncate } from '../src/core/text/truncate.ts';
import type { Choice } from '../src/core/view.ts';
import { text } from '../src/ui/discord/options.ts';

export const articleOption = text({
  description: 'Start typing a title, or paste an article id or URL',
  required: true,
  autocomplete: true,
  min_length: 1,
  max_length: 2000,
});

/** What was typed, as the answer repeats it: a pasted paragraph is cut here. */
const REF_SHOWN = 100;

/** Titles that start with, or contain, what was typed; `max` is as many as Discord shows. */
export async function articleChoices(store: Store, typed: string, max: number): Promise<Choice[]> {
  return (await store.suggest(typed, max)).map((s) => ({ name: s.title, value: s.id }));
}

/** The article a person picked or typed; a UserError in plain words, pointing at the title list, when there is none. */
export async function requireArticle(store: Store, ref: string): Promise<Article> {
  try {
    return await find.requireArticle(store, ref);
  } catch (error) {
    if (!(error instanceof find.ArticleNotFound)) throw error;
    const shown = escape(truncate(error.ref, REF_SHOWN, '…').text);
    // A title someone typed without picking it can be short hex too ("bad"), so the usual hint follows.
    if (error.code === 'too-short')
      throw new UserError(
        error.code,
        `"${shown}" is too short for an article id: an id prefix needs at least ${find.MIN_ID_PREFIX} hex digits. Start typing a title and pick one from the list, or paste an article id or URL.`,
      );
    if (error.code === 'ambiguous') throw new UserError(error.code, `More than one article id starts with "${shown}". Pick a title from the list instead.`);
    throw new UserError(error.code, `No article matches "${shown}". Start typing a title and pick one from the list, or paste an article id or URL.`);
  }
}
