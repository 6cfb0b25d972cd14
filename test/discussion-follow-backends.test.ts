/**
 * The followed discussions' repository behaves the same on both backends: SQLite (a file, two
 * handles standing for two processes) and PostgreSQL (a database of its own, two pools).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscussionState } from '../src/adapters/store/discussions.ts';
import { InvalidStateRow } from '../src/adapters/store/state-schemas.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';

const at = '2026-12-01T06:00:00.000Z';
const hn: DiscussionState = {
  url: 'https://news.ycombinator.com/item?id=8863',
  kind: 'hackernews',
  articleId: null,
  ownsArticle: false,
  addedAt: at,
  addedBy: 'cli',
  etag: null,
  lastModified: null,
  lastPolledAt: null,
  lastOkAt: null,
  comments: 0,
  missing: 0,
  commentIds: [],
  failures: 0,
  lastError: null,
  retryAt: null,
  paused: null,
};

async function times(n: number, width: number, work: () => Promise<unknown>): Promise<void> {
  for (let done = 0; done < n; done += width) await Promise.all(Array.from({ length: Math.min(width, n - done) }, work));
}

describe.each(Object.keys(stateBackends))('GIVEN followed discussions on %s', (name) => {
  let opened: OpenedState | undefined;
  const open = async (): Promise<OpenedState> => (opened = await (stateBackends[name] as () => Promise<OpenedState>)());
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('THEN a discussion is stored whole and read back as it was, every field', async () => {
    const { state } = await open();
    const synced: DiscussionState = {
      ...hn,
      articleId: '0123456789abcdef',
      ownsArticle: true,
      etag: '"v2"',
      lastModified: 'Tue, 01 Dec 2026 06:00:00 GMT',
      lastPolledAt: at,
      lastOkAt: at,
      comments: 3,
      missing: 2,
      commentIds: ['hn:8952', 'hn:9224', 'hn:8917'],
      failures: 1,
      lastError: 'HTTP 503 Service Unavailable',
      retryAt: '2026-12-01T06:05:00.000Z',
      paused: 'the thread was locked',
    };
    await state.discussions.put(synced);
    expect(await state.discussions.get(synced.url)).toStrictEqual(synced);
    expect(await state.discussions.get('https://news.ycombinator.com/item?id=1')).toBeNull();
  });

  it('THEN updates from two connections at once all land, and the list is in URL order', async () => {
    const { state, other } = await open();
    const reddit: DiscussionState = { ...hn, url: 'https://www.reddit.com/r/rust/comments/abc/x/', kind: 'reddit' };
    await state.discussions.put(hn);
    await state.discussions.put(reddit);
    await Promise.all([
      times(40, 4, () => state.discussions.update(hn.url, (d) => d && { ...d, comments: d.comments + 1 })),
      times(40, 4, () => other.discussions.update(hn.url, (d) => d && { ...d, failures: d.failures + 1 })),
    ]);
    expect(await other.discussions.get(hn.url)).toStrictEqual({ ...hn, comments: 40, failures: 40 });
    expect((await state.discussions.list()).map((d) => d.url)).toEqual([hn.url, reddit.url]);
  });

  it('THEN an update of a missing discussion creates it only when the change says so, and never under another URL', async () => {
    const { state } = await open();
    expect(await state.discussions.update(hn.url, () => null)).toEqual({ before: null, after: null });
    expect(await state.discussions.update(hn.url, (d) => d ?? hn)).toEqual({ before: null, after: hn });
    await expect(state.discussions.update(hn.url, (d) => d && { ...d, url: 'https://elsewhere.example/t/1' })).rejects.toThrow(
      /a change to https:\/\/news\.ycombinator\.com\/item\?id=8863 returned the discussion https:\/\/elsewhere/,
    );
    expect((await state.discussions.list()).map((d) => d.url)).toEqual([hn.url]);
  });

  it('THEN discussions are found by their article, and removed', async () => {
    const { state } = await open();
    await state.discussions.put({ ...hn, articleId: 'aaaaaaaaaaaaaaaa' });
    await state.discussions.put({ ...hn, url: 'https://forum.example/t/7', kind: 'discourse', articleId: 'aaaaaaaaaaaaaaaa' });
    await state.discussions.put({ ...hn, url: 'https://forum.example/t/8', kind: 'discourse', articleId: 'bbbbbbbbbbbbbbbb' });
    expect((await state.discussions.ofArticle('aaaaaaaaaaaaaaaa')).map((d) => d.url)).toEqual(['https://forum.example/t/7', hn.url]);
    expect(await state.discussions.remove(hn.url)).toBe(true);
    expect(await state.discussions.remove(hn.url)).toBe(false);
    expect((await state.discussions.ofArticle('aaaaaaaaaaaaaaaa')).map((d) => d.url)).toEqual(['https://forum.example/t/7']);
  });

  it('THEN a damaged row is an error naming the table, the row and what is wrong', async () => {
    const { state, exec } = await open();
    await state.discussions.put(hn);
    await exec('UPDATE discussions SET kind = $1 WHERE url = $2', ['myspace', hn.url]);
    await expect(state.discussions.get(hn.url)).rejects.toThrow(InvalidStateRow);
    await expect(state.discussions.list()).rejects.toThrow(/^discussions row https:\/\/news\.ycombinator\.com\/item\?id=8863 is not valid: kind: /);
    await exec('UPDATE discussions SET kind = $1, comment_ids = $2 WHERE url = $3', ['hackernews', '[hn:1', hn.url]);
    await expect(state.discussions.get(hn.url)).rejects.toThrow(/its comment_ids column is not JSON/);
  });
});
