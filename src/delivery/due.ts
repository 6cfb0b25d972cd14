/**
 * Which articles a subscription should get in this run: new ones past its cursor that match its
 * source and keywords (oldest first), and already-posted ones that changed since its last check.
 */
import type { Article } from '../articles/model.ts';
import type { ArticleStore } from '../store/store.ts';
import type { ArticleResult, DeliveryEngine } from './engine-types.ts';
import type { Filter } from './filter.ts';
import type { Subscription } from './subscriptions.ts';

/** New articles handed to the engine per run and subscription: a run stays bounded, the rest waits. */
export const MAX_NEW_PER_RUN = 50;
/** Store positions looked at per run, matching or not. */
const MAX_SCANNED_PER_RUN = 5000;
const MAX_CHANGED_PER_RUN = 200;

export interface Due {
  /** Changed articles first, then new ones oldest first. */
  readonly articles: readonly Article[];
  readonly newCount: number;
  /** The cursor to store once the engine reports: past every article that finished or did not match. */
  cursorAfter(results: readonly ArticleResult[]): number;
}

function timeOf(a: Article): string {
  return a.publishedAt ?? a.ingestedAt;
}

export async function dueArticles(store: ArticleStore, sub: Subscription, filter: Filter, engine: DeliveryEngine): Promise<Due> {
  const scanned: { position: number; id: string | null }[] = [];
  const fresh: Article[] = [];
  let position = sub.cursor;
  while (fresh.length < MAX_NEW_PER_RUN && scanned.length < MAX_SCANNED_PER_RUN) {
    const page = store.positions.after(position, 500);
    if (page.length === 0) break;
    for (const p of page) {
      if (fresh.length >= MAX_NEW_PER_RUN || scanned.length >= MAX_SCANNED_PER_RUN) break;
      position = p.position;
      const sourceOk = sub.source === null || p.source?.toLowerCase() === sub.source.toLowerCase();
      const article = sourceOk ? store.get(p.id) : null;
      const wanted = article !== null && filter(article);
      scanned.push({ position: p.position, id: wanted ? p.id : null });
      if (wanted) fresh.push(article);
    }
  }
  const changed: Article[] = [];
  for (const id of store.positions.updatedSince(sub.checkedAt, sub.cursor, MAX_CHANGED_PER_RUN)) {
    const article = store.get(id);
    if (article && (await engine.delivered(sub, id))) changed.push(article);
  }
  fresh.sort((a, b) => timeOf(a).localeCompare(timeOf(b)));
  return {
    articles: [...changed, ...fresh],
    newCount: fresh.length,
    cursorAfter(results) {
      // An article the engine did not finish, or never reached (the target went away), stops the cursor.
      const finished = new Set(results.filter((r) => r.error === null).map((r) => r.articleId));
      let cursor = sub.cursor;
      for (const s of scanned) {
        if (s.id !== null && !finished.has(s.id)) break;
        cursor = s.position;
      }
      return cursor;
    },
  };
}

/** The cursor that makes a new subscription's first run post what its backfill asks for. */
export function backfillCursor(store: ArticleStore, sub: Pick<Subscription, 'source' | 'backfill'>, filter: Filter): number {
  const last = store.positions.last();
  if (sub.backfill.kind === 'none') return last;
  if (sub.backfill.kind === 'all') return 0;
  let found = 0;
  let position = last + 1;
  for (;;) {
    const page = store.positions.before(position, 500);
    if (page.length === 0) return 0;
    for (const p of page) {
      position = p.position;
      if (sub.source !== null && p.source?.toLowerCase() !== sub.source.toLowerCase()) continue;
      const article = store.get(p.id);
      if (article && filter(article) && ++found === sub.backfill.count) return p.position - 1;
    }
  }
}
