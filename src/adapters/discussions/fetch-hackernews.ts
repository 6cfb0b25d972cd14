/**
 * A Hacker News story's tree: Algolia's `items/<id>` when configured (the whole tree in one request),
 * else, or when Algolia fails, the official API item by item: the story, then every `kids` id,
 * several at once within a limit, each once, until the run's budget is spent. Comments not reached
 * are counted in `missing` (the parser compares the story's `descendants` with what it holds). The
 * tree is parsed by the context's parser (in the product, a worker thread: parse-worker.ts); the
 * official API's items, a few hundred bytes each, are read here as they come, to follow their kids.
 */
import PQueue from 'p-queue';
import { isObject } from './markup-json.ts';
import type { FetchedDiscussion } from './fetch-types.ts';
import { type PlatformContext, failedFrom, jsonOf, parsed, partWarning } from './fetch-platform.ts';
import { SPENT } from './http-run.ts';
import { hnIdOf } from './recognise.ts';

const ACCEPT = 'application/json';
/** Failed items named one by one in warnings before they are only counted. */
const LISTED = 20;

export async function fetchHackerNews(url: string, context: PlatformContext): Promise<FetchedDiscussion> {
  const { session, options } = context;
  const id = hnIdOf(url);
  if (id === null) return { outcome: 'failed', reason: `${url} is not a Hacker News item address`, retryAt: null, requests: 0 };
  const spacingMs = options.spacing('hackernews');
  const warnings: string[] = [];
  if (options.algoliaBase !== null) {
    const got = await session.get(`${options.algoliaBase}/items/${id}`, { accept: ACCEPT, validators: context.validators, spacingMs });
    if (got.kind === 'not-modified') return { outcome: 'not-modified', requests: session.requests };
    if (got.kind === 'failed' && got.reason === SPENT) return failedFrom(got, session);
    if (got.kind === 'ok') {
      const tree = await parsed(session, got, () =>
        context.parser.parse({ kind: 'hn-algolia', where: got.url, bytes: got.body, options: context.parseOptions }),
      );
      if (tree.outcome === 'fresh') return tree;
      warnings.push(`${got.url}: ${tree.outcome === 'failed' ? tree.reason : 'unreadable'}; read through the official API instead`);
    } else {
      warnings.push(partWarning(`${options.algoliaBase}/items/${id}`, 'the whole tree was', got) + '; read through the official API instead');
    }
  }
  const itemUrl = (n: number | string): string => `${options.hackerNewsBase}/v0/item/${n}.json`;
  const root = await session.get(itemUrl(id), { accept: ACCEPT, validators: context.validators, spacingMs });
  if (root.kind === 'failed') return failedFrom(root, session);
  if (root.kind === 'not-modified') return { outcome: 'not-modified', requests: session.requests };
  return parsed(
    session,
    root,
    () => {
      const story = jsonOf(root);
      if (!isObject(story)) throw new Error(`${root.url}: Hacker News has no item ${id} (it answered ${JSON.stringify(story)?.slice(0, 40)})`);
      // Checked here so that a story that cannot be read costs no further requests.
      return context.parser.parse({ kind: 'hn-items', where: root.url, items: [story], rootId: Number(id), options: context.parseOptions });
    },
    async () => {
      const items: unknown[] = [jsonOf(root)];
      const failures: string[] = [];
      const seen = new Set<number>([Number(id)]);
      const queue = new PQueue({ concurrency: options.hackerNewsConcurrency });
      const follow = (item: unknown): void => {
        const kids = isObject(item) && Array.isArray(item.kids) ? item.kids : [];
        for (const kid of kids) {
          if (typeof kid !== 'number' || !Number.isSafeInteger(kid) || kid <= 0 || seen.has(kid)) continue;
          seen.add(kid);
          void queue.add(async () => {
            const got = await session.get(itemUrl(kid), { accept: ACCEPT, spacingMs });
            if (got.kind === 'failed') {
              if (got.reason !== SPENT) failures.push(`item ${kid}: ${got.reason}`);
              return;
            }
            if (got.kind !== 'ok') return;
            try {
              const item = jsonOf(got);
              items.push(item);
              follow(item);
            } catch (error) {
              failures.push((error as Error).message);
            }
          });
        }
      };
      follow(items[0]);
      await queue.onIdle();
      const tree = await context.parser.parse({ kind: 'hn-items', where: root.url, items, rootId: Number(id), options: context.parseOptions });
      const named = failures.slice(0, LISTED).map((f) => `${root.url}: ${f}`);
      if (failures.length > LISTED) named.push(`${root.url}: ${failures.length - LISTED} more items not fetched`);
      return { ...tree, warnings: [...warnings, ...tree.warnings, ...named] };
    },
  );
}
