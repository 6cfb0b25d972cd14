/**
 * Digests (issue 17, point 7): after each delivery run, each subscription whose digest is due posts
 * the period's most discussed articles in one message. One subscription's failure is logged and
 * leaves its period due, so the next run tries again; it does not stop the others.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/log.ts';
import type { Subscription } from '../../core/state.ts';
import type { Store } from '../../adapters/store/contract.ts';
import { keepLease, processHolderId } from '../../adapters/store/leases.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Poster } from '../delivery/poster.ts';
import { leaseName } from '../lease-name.ts';
import { FilterError } from '../delivery/filter.ts';
import { FilterSyntaxError } from '../filters/expression.ts';
import { type DigestPeriod, DigestSettingsError, describePeriod, duePeriod } from './due.ts';
import { periodArticles } from './gather.ts';
import { digestSummary, mostQuoted } from './pick.ts';
import { recordPosted, sendOnce } from './post.ts';
import { rankByActivity } from './rank.ts';
import { type DigestItem, digestMessage } from './view.ts';

export interface DigestDeps {
  readonly store: Store;
  readonly state: BotState;
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
  /** @default DIGEST_LEASE_MS */
  readonly leaseMs?: number;
  /** Pages of 100 messages a read-back after a crash reads at most. @default DIGEST_SEARCH_PAGES */
  readonly searchPages?: number;
}

/**
 * The digest lease's time to live. It is renewed every third of it while the process works (reading,
 * and a send that waits out a rate limit), so it bounds only how long a process that died holds the
 * digest up; a lease lost all the same drops a send still waiting, and the next holder reads back.
 */
export const DIGEST_LEASE_MS = 10 * 60_000;

export type DigestOutcome = 'posted' | 'found' | 'empty' | 'not-due' | 'elsewhere' | 'failed' | 'gone';

/** The subscription's digest lease: one per channel, whichever period is due. */
export function digestLeaseName(sub: Pick<Subscription, 'guildId' | 'channelId'>): string {
  return leaseName('digest', `${sub.guildId}:${sub.channelId}`);
}

async function itemsFor(deps: DigestDeps, sub: Subscription, ranked: ReturnType<typeof rankByActivity>): Promise<DigestItem[]> {
  const items: DigestItem[] = [];
  for (const { article, activity } of ranked) {
    const progress = await deps.state.progress.get(sub.channelId, article.id);
    items.push({
      title: article.title,
      url: article.url,
      source: article.source,
      activity,
      summary: digestSummary(article),
      quote: mostQuoted(article),
      threadId: progress?.threadId ?? null,
    });
  }
  return items;
}

/** Reads, ranks, posts and records one due period; the caller holds the digest lease, whose loss fires `signal`. */
async function postPeriod(deps: DigestDeps, sub: Subscription, period: DigestPeriod, signal: AbortSignal): Promise<DigestOutcome> {
  const fields = { guild: sub.guildId, channel: sub.channelId, period: describePeriod(period) };
  const span = { start: period.start.toMillis(), end: period.end.toMillis() };
  const { articles, bounded } = await periodArticles(deps.store, sub, span, deps.now);
  if (bounded) deps.log.info({ ...fields, read: articles.length }, 'digest: the period has more articles than one digest reads; the most commented were read');
  if (articles.length === 0) {
    // Nothing is posted for an empty period: a line saying "no articles" every day would be noise in
    // the channel, and it tells no one anything the absence of a digest does not. The period is still
    // recorded, so it is not looked at again on every run.
    await recordPosted(deps.state, sub, period);
    deps.log.info(fields, 'digest: no articles in the period; nothing posted');
    return 'empty';
  }
  const items = await itemsFor(deps, sub, rankByActivity(articles, span));
  const ctx = { state: deps.state, poster: deps.poster, log: deps.log, now: deps.now, signal, searchPages: deps.searchPages };
  const posted = await sendOnce(ctx, sub, period, digestMessage(items, articles.length, period));
  if (!(await recordPosted(deps.state, sub, period))) return 'gone';
  deps.log.info(
    { ...fields, articles: articles.length, shown: items.length, message: posted.messageId },
    posted.how === 'found' ? 'digest: already posted by an earlier run; recorded' : 'digest posted',
  );
  return posted.how === 'found' ? 'found' : 'posted';
}

/** The digest of one subscription, if due, under its lease. */
export async function runDigest(deps: DigestDeps, listed: Subscription, holder: string): Promise<DigestOutcome> {
  const fields = { guild: listed.guildId, channel: listed.channelId };
  const name = digestLeaseName(listed);
  try {
    if (duePeriod(listed, deps.now()) === null) return 'not-due';
    // Kept (renewed) while the digest is read and sent, as a delivery claim is (delivery/claim.ts).
    const lease = await keepLease(deps.state.leases, name, holder, deps.leaseMs ?? DIGEST_LEASE_MS, { log: deps.log });
    if (!lease) return 'elsewhere';
    try {
      // Read again under the lease: another process may have posted it since the list was read.
      const sub = await deps.state.subscriptions.get({ guildId: listed.guildId, channelId: listed.channelId });
      if (sub === null || sub.paused !== null) return 'gone';
      const period = duePeriod(sub, deps.now());
      return period === null ? 'not-due' : await postPeriod(deps, sub, period, lease.signal);
    } finally {
      await lease.stop();
    }
  } catch (error) {
    if (error instanceof DigestSettingsError)
      deps.log.warn({ ...fields, reason: error.message }, 'digest skipped: its settings cannot be used; set them again');
    else if (error instanceof FilterError || error instanceof FilterSyntaxError)
      deps.log.warn({ ...fields, reason: error.message }, 'digest skipped: the subscription’s keywords or filter are no longer accepted; set them again');
    else deps.log.warn({ ...fields, err: error, reason: errorMessage(error) }, 'digest failed; the next run tries again');
    return 'failed';
  }
}

/** Posts every digest that is due, one subscription after another (digests are few, and each one message). */
export async function runDigests(deps: DigestDeps): Promise<void> {
  const { subscriptions } = await deps.state.subscriptions.list();
  // A holder of its own per run, so that two runs never share a lease even within one process.
  const holder = `${processHolderId()}:digest:${randomBytes(4).toString('hex')}`;
  for (const sub of subscriptions) {
    if (sub.paused !== null || !sub.options?.digest) continue;
    await runDigest(deps, sub, holder);
  }
}
