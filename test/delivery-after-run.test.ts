/** What a run writes back to its subscription (afterRun), on plain data: no Discord, no store. */
import { describe, expect, it } from 'vitest';
import { afterRun, type RunOutcome } from '../src/app/delivery/after-run.ts';
import { MAX_UNFINISHED } from '../src/app/delivery/due.ts';
import type { ArticleResult } from '../src/app/delivery/engine-types.ts';
import { MAX_SET_ASIDE, type SetAside, type Subscription } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';

const before = '2026-12-01T05:00:00.000Z';
const started = '2026-12-01T06:00:00.000Z';
const at = '2026-12-01T06:00:05.000Z';
const stored: Subscription = {
  guildId: '1',
  channelId: '2',
  kind: 'text',
  channelName: 'news',
  source: null,
  keywords: null,
  backfill: { kind: 'all' },
  cursor: 10,
  checkedAt: before,
  createdAt: before,
  createdBy: 'test',
  paused: null,
  posted: 3,
  lastPostedAt: null,
  lastRunAt: null,
  lastError: null,
  revision: 2,
};
const harbour = article({ title: 'Harbour reopens after the storm' });
const ferry = article({ title: 'Ferry timetable' });
const posted = (id: string, extra: Partial<ArticleResult> = {}): ArticleResult => ({
  articleId: id,
  action: 'post',
  created: 2,
  edited: 0,
  error: null,
  ...extra,
});

function outcome(results: ArticleResult[], extra: Partial<RunOutcome> = {}): RunOutcome {
  return {
    revision: 2,
    due: { articles: [harbour, ferry], changedIds: [], changesComplete: true, missing: [], missingUnfinished: [], cursorAfter: () => 20 },
    report: { results, pause: null },
    started,
    at,
    ...extra,
  };
}

describe('GIVEN a run that posted two articles', () => {
  it('THEN the cursor and check time move on, the count and times are recorded', () => {
    const { next, dropped } = afterRun(stored, outcome([posted(harbour.id), posted(ferry.id)]));
    expect(next).toMatchObject({
      cursor: 20,
      checkedAt: started,
      posted: 5,
      lastPostedAt: at,
      lastRunAt: started,
      lastError: null,
      setAside: [],
      unfinished: [],
    });
    expect(dropped).toEqual([]);
  });

  it('THEN after a /subscribe during the run (another revision) the cursor and check time stay as /subscribe put them', () => {
    const resubscribed = { ...stored, cursor: 0, revision: 3 };
    const { next } = afterRun(resubscribed, outcome([posted(harbour.id), posted(ferry.id)]));
    expect(next).toMatchObject({ cursor: 0, checkedAt: before, posted: 5, revision: 3 });
  });
});

describe('GIVEN the set-aside list', () => {
  const entry = (i: number): SetAside => ({ articleId: `a${i}`, title: `Notice ${i}`, reason: 'Discord refused it: 400', at: before, retry: false });

  it('THEN past its bound the oldest leave it and are returned to be logged', () => {
    const full = { ...stored, setAside: Array.from({ length: MAX_SET_ASIDE }, (_, i) => entry(i)), setAsideDropped: 2 };
    const { next, dropped } = afterRun(full, outcome([posted(harbour.id, { error: 'Discord refused it: 400', setAside: true, created: 0 })]));
    expect(dropped.map((e) => e.articleId)).toEqual(['a0']);
    expect(next.setAside).toHaveLength(MAX_SET_ASIDE);
    expect(next.setAside?.at(-1)).toMatchObject({ articleId: harbour.id, retry: false });
    expect(next.setAsideDropped).toBe(3);
  });

  it('THEN a retried one with comments left stays, marked to retry, when the unfinished list is full; it leaves once carried or complete', () => {
    const carried = Array.from({ length: MAX_UNFINISHED }, (_, i) => ({ articleId: `u${i}`, title: `Thread ${i}`, left: 5, at: before }));
    const waiting = { ...stored, setAside: [{ ...entry(0), articleId: harbour.id, retry: true }], unfinished: carried };
    const partway = afterRun(waiting, outcome([posted(harbour.id, { commentsLeft: 6 })])).next;
    expect(partway.setAside).toEqual([{ ...entry(0), articleId: harbour.id, retry: true }]);
    expect(afterRun({ ...waiting, unfinished: [] }, outcome([posted(harbour.id, { commentsLeft: 6 })])).next).toMatchObject({
      setAside: [],
      unfinished: [{ articleId: harbour.id, left: 6 }],
    });
    expect(afterRun(partway, outcome([posted(harbour.id, { action: 'resume' })])).next.setAside).toEqual([]);
  });
});
