/** What a sync of the followed discussions did, for the operator's log (as logPolls tells the feeds'). */
import type { Logger } from '../../core/log.ts';
import type { SyncResult } from './sync.ts';

/**
 * One line per discussion that did something or failed. Those waiting their turn, or being synced by
 * another process, are debug: with several processes on one schedule every round meets several.
 */
export function logSyncs(results: readonly SyncResult[], log: Logger): void {
  const spent = results.filter((r) => r.outcome === 'over-budget').length;
  for (const r of results) {
    const fields = { discussion: r.url, article: r.articleId };
    if (r.outcome === 'synced')
      log.info(
        { ...fields, comments: r.comments, missing: r.missing, added: r.added, edited: r.edited, deleted: r.deleted, requests: r.requests },
        'discussion synced',
      );
    else if (r.outcome === 'failed') log.warn({ ...fields, reason: r.error }, 'discussion sync failed; backing off');
    else if (r.outcome === 'cut-off') log.info(fields, 'discussion sync cut off by shutdown; synced on the next run');
    else if (r.outcome === 'waiting' && r.elsewhere) log.debug(fields, 'discussion being synced, or just synced, by another process; left to it');
    for (const w of r.warnings) log.warn(fields, w);
  }
  if (spent > 0)
    log.info({ discussions: spent }, 'the run’s discussion requests (DISCUSSION_REQUESTS_PER_RUN) were spent; the rest are synced on the next run');
}
