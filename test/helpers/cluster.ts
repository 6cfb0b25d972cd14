/**
 * What the cluster test (test/e2e-cluster.test.ts) arranges and measures: articles written as page
 * exports for `paperboy ingest`, the local Discord's 429s sorted into bucket discovery and the rest,
 * the live leases of a database, and a Redis key prefix removed after.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import type { RequestRecord } from '@paperboy/fake-discord';
import pg from 'pg';

/** The local Discord's message bucket: 5 per 5 s per channel or thread. */
const FIRST_WINDOW_MS = 5000;

/**
 * Article `i` as the article page export format (../shared/DESIGN.md): title, the comment count the
 * site showed, two paragraphs, `N comments`, the page furniture, then each comment as `  K. S`, its
 * date, and its indented text.
 */
export function pageExport(i: number, comments: number): string {
  const lines = [
    `Harbour council notice ${i}`,
    '',
    String(comments),
    '',
    `The harbour council met on day ${i} to vote on the budget for the quay. The vote was close, and the fishermen waited outside in the rain.`,
    '',
    `The mayor said the new quay would open in spring of year ${2030 + i}. Nobody asked about the old one, which has been closed since the storm.`,
    `${comments} comments`,
    'Information',
    'Dear reader, to leave comments on the publication, you must sign in.',
  ];
  for (let c = 1; c <= comments; c++)
    lines.push(
      `  ${c}. ${c - 1}`,
      `    2${c} October 2026 1${c}: 0${c}`,
      `    Reader ${c} on notice ${i}: the quay matters to everyone who fishes from this harbour.`,
    );
  return lines.join('\n') + '\n';
}

/** Writes `count` page exports into a new folder `dir/name`; returns the folder. */
export function writeExports(dir: string, name: string, count: number, comments: number): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (let i = 0; i < count; i++) writeFileSync(join(folder, `notice-${String(i).padStart(3, '0')}.txt`), pageExport(i, comments));
  return folder;
}

/** Discord's refusals for going too fast, by scope (faults are a test's own doing, not counted). */
export function tooFast(requests: ReadonlyArray<RequestRecord>): { global: number; bucket: number } {
  const refused = requests.filter((r) => r.status === 429 && r.fault !== true);
  return { global: refused.filter((r) => r.scope === 'global').length, bucket: refused.filter((r) => r.scope !== 'global').length };
}

/**
 * Bucket 429s that are not discovery (as test/rest-proxy.test.ts defines it): more than one on a
 * channel or thread, or any after its first window (5 s from its first request), when the proxy
 * knew the bucket.
 */
export function beyondDiscovery(requests: ReadonlyArray<RequestRecord>): { pathsWithMoreThanOne: string[]; afterTheFirstWindow: string[] } {
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  const late: string[] = [];
  for (const r of requests) {
    if (!first.has(r.path)) first.set(r.path, r.at);
    if (r.status !== 429 || r.fault === true || r.scope === 'global') continue;
    count.set(r.path, (count.get(r.path) ?? 0) + 1);
    if (r.at - (first.get(r.path) ?? r.at) >= FIRST_WINDOW_MS) late.push(r.path);
  }
  return { pathsWithMoreThanOne: [...count].filter(([, n]) => n > 1).map(([path]) => path), afterTheFirstWindow: late };
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
}

/** The leases not yet expired, by name. */
export async function liveLeases(url: string): Promise<Lease[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Lease>('SELECT name, holder FROM leases WHERE expires_at > now() ORDER BY name');
    return rows;
  } finally {
    await client.end();
  }
}

/** The pid in a lease holder's id (`host:pid:random`, processHolderId), or null when it has none. */
export function holderPid(holder: string): number | null {
  const pid = Number(holder.split(':').at(-2));
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export interface RedisPrefix {
  /** `pb_test_<random>:`: what REDIS_PREFIX is set to. */
  readonly prefix: string;
  readonly url: string;
  /** How many keys start with the prefix. */
  count(): Promise<number>;
  /** Deletes every key that starts with the prefix (SCAN MATCH, never FLUSHALL); resolves with how many. */
  remove(): Promise<number>;
}

export function redisPrefix(url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379'): RedisPrefix {
  const prefix = `pb_test_${randomBytes(6).toString('hex')}:`;
  /** Runs `work` on the keys under the prefix with a connection of its own. */
  async function withKeys<T>(work: (found: string[], del: (keys: string[]) => Promise<unknown>) => Promise<T>): Promise<T> {
    const client = createClient({ url });
    await client.connect();
    try {
      const found: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) found.push(...batch);
      return await work(found, (keys) => client.del(keys));
    } finally {
      await client.close();
    }
  }
  return {
    prefix,
    url,
    count: () => withKeys((found) => Promise.resolve(found.length)),
    remove: () =>
      withKeys(async (found, del) => {
        if (found.length > 0) await del(found);
        return found.length;
      }),
  };
}
