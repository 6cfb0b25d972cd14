/** Finds an article from what a person typed, or stops with a user error that says why not, pointing at `paperboy list`. */
import type { Store } from '../../adapters/store/contract.ts';
import { ArticleNotFound, MIN_ID_PREFIX, requireArticle } from '../../app/library/find.ts';
import { UserError } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';

export async function resolveArticle(store: Store, ref: string): Promise<Article> {
  try {
    return await requireArticle(store, ref);
  } catch (error) {
    if (!(error instanceof ArticleNotFound)) throw error;
    const { code, ref: typed } = error;
    if (code === 'too-short') throw new UserError(code, `"${typed}": an id prefix needs at least ${MIN_ID_PREFIX} hex digits (see \`paperboy list\` for ids)`);
    if (code === 'ambiguous') throw new UserError(code, `"${typed}" matches more than one article id; give more of it`);
    throw new UserError(code, `no article with id or URL "${typed}" (try \`paperboy list\` or \`paperboy search\`)`);
  }
}
