/**
 * Importing a saved discussion: a Reddit listing of 1,500 comments, read from a file, parsed into
 * its tree and stored in a fresh SQLite file, the way `paperboy ingest` does it. The listing is
 * built from the recorded one (test/fixtures/discussions/reddit-n49rw-were-back.listing.json):
 * its real comment subtrees, copied with new ids until there are 1,500, its `more` stubs left out.
 * Prints one JSON line. Run alone: node --import tsx bench/discussions.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRedditListing } from '../src/adapters/discussions/reddit.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { emptyReport, ingestSources, readFiles } from '../src/app/library/ingest.ts';
import { percentile } from './stats.ts';

const COMMENTS = 1500;
const RUNS = 7;
const FIXTURE = resolve(import.meta.dirname, '../test/fixtures/discussions/reddit-n49rw-were-back.listing.json');

interface Thing {
  kind: string;
  data: Record<string, unknown> & { id?: string; replies?: { kind: string; data: { children: Thing[] } } | '' };
}

/** How many comments a subtree holds (stubs not counted). */
function size(thing: Thing): number {
  if (thing.kind !== 't1') return 0;
  const replies = thing.data.replies;
  return 1 + (replies ? replies.data.children.reduce((n, t) => n + size(t), 0) : 0);
}

/** A copy of a subtree with every id (and parent id) suffixed, stubs dropped, replies cut when `keepReplies` is false. */
function copy(thing: Thing, suffix: string, keepReplies: boolean): Thing {
  const { replies, ...data } = thing.data;
  const parent = String(data.parent_id);
  const kids = keepReplies && replies ? replies.data.children.filter((t) => t.kind === 't1').map((t) => copy(t, suffix, true)) : [];
  return {
    kind: 't1',
    data: {
      ...data,
      id: `${thing.data.id}${suffix}`,
      name: `t1_${thing.data.id}${suffix}`,
      parent_id: parent.startsWith('t1_') ? `${parent}${suffix}` : parent,
      replies: kids.length > 0 ? { kind: 'Listing', data: { children: kids } } : '',
    },
  };
}

/** The recorded listing grown to exactly `count` comments from copies of its real subtrees. */
function grownListing(count: number): unknown {
  const listing = JSON.parse(readFileSync(FIXTURE, 'utf8')) as [unknown, { kind: string; data: { children: Thing[] } }];
  const tops = listing[1].data.children.filter((t) => t.kind === 't1');
  const children: Thing[] = [];
  let total = 0;
  for (let round = 0; total < count; round++) {
    for (const top of tops) {
      const whole = size(top);
      if (total + whole <= count) {
        children.push(copy(top, `x${round}`, true));
        total += whole;
      } else if (total < count) {
        // The last few: single comments, so that the count comes out exact.
        children.push(copy(top, `x${round}`, false));
        total += 1;
      }
    }
  }
  return [listing[0], { kind: 'Listing', data: { ...listing[1].data, children } }];
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-discussions-'));
try {
  const file = join(dir, 'thread.json');
  writeFileSync(file, JSON.stringify(grownListing(COMMENTS)));
  const parsed = parseRedditListing(file, JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.article.comments.length !== COMMENTS) throw new Error(`expected ${COMMENTS} comments, built ${parsed.article.comments.length}`);

  const parseMs: number[] = [];
  const importMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    parseRedditListing(file, JSON.parse(readFileSync(file, 'utf8')));
    parseMs.push(performance.now() - started);

    const store = SqliteStore.open(join(dir, `library-${run}.db`));
    started = performance.now();
    const report = emptyReport();
    await ingestSources(readFiles([file], report), store, { source: null }, report);
    importMs.push(performance.now() - started);
    await store.close();
    if (report.failures.length > 0) throw new Error(`import failed: ${JSON.stringify(report.failures)}`);
  }
  const importP50 = percentile(importMs, 50);
  console.log(
    JSON.stringify({
      discussion_comments: COMMENTS,
      discussion_file_kb: Math.round(readFileSync(file).length / 1024),
      discussion_parse_p50_ms: Math.round(percentile(parseMs, 50)),
      discussion_import_p50_ms: Math.round(importP50),
      discussion_import_max_ms: Math.round(Math.max(...importMs)),
      discussion_import_comments_per_s: Math.round(COMMENTS / (importP50 / 1000)),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
