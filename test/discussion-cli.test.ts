/** `paperboy discussion add | list | sync | remove` against a local site serving a comment feed, with the real fetcher. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { articleId } from '../src/core/model.ts';
import { cliWith } from './helpers/cli.ts';

const FEED = readFileSync(new URL('./fixtures/discussions/comment-feed-handwritten-wordpress.rss', import.meta.url));
/** The post the fixture's comments discuss (its channel link). */
const POST = 'https://blog.example.org/2024/05/bus-depot/';

let server: Server;
let base: string;
let dir: string;
beforeAll(async () => {
  // The site is on this machine, which discussions reach only when the operator allows it (as feeds).
  vi.stubEnv('FEED_ALLOW_HOSTS', '127.0.0.1');
  server = createServer((req, res) => {
    if (req.url === '/2024/05/bus-depot/feed/') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
    res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'paperboy-discussioncli-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('GIVEN the discussion commands', () => {
  it('THEN add, list, sync and remove work; what cannot be followed and a failing sync are named, with exit 1', async () => {
    const db = join(dir, 'd.db');
    const cli = cliWith(() => db);
    const feed = `${base}/2024/05/bus-depot/feed/`;
    expect(await cli('discussion', 'add', `${feed}#comments`)).toEqual({ code: 0, stdout: `following ${feed} (comment-feed)\n`, stderr: '' });
    expect((await cli('discussion', 'add', feed)).stdout).toBe(`already following ${feed} (comment-feed)\n`);
    const refused = await cli('discussion', 'add', 'ftp://example.com/thread');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('paperboy: "ftp://example.com/thread" is not a web address; give the discussion\'s full address, starting with https://\n');
    expect((await cli('discussion', 'add', feed, '--article', 'abcdef0123456789')).stderr).toMatch(/no article with id or URL "abcdef0123456789"/);
    expect((await cli('discussion', 'list')).stdout).toBe(`${feed}  comment-feed  its own article (on the first sync)  not synced yet\n`);

    const synced = await cli('discussion', 'sync');
    const id = articleId({ url: POST, source: null, title: 'x' });
    expect(synced).toEqual({ code: 0, stdout: `${feed}: 2 new, 0 edited, 0 deleted (2 comments) into article ${id}\n`, stderr: '' });
    const store = ArticleStore.open(db);
    expect(store.get(id)?.comments.map((c) => c.author)).toEqual(['Ann', expect.any(String)]);
    store.close();
    expect((await cli('discussion', 'sync')).stdout).toBe(`${feed}: 0 new, 0 edited, 0 deleted (2 comments) into article ${id}\n`);
    expect((await cli('discussion', 'list')).stdout).toMatch(new RegExp(`^${feed}  comment-feed  article ${id}  synced \\S+, 2 comments\\n$`));

    await cli('discussion', 'add', `${base}/gone/feed/`);
    const failing = await cli('discussion', 'sync', '--json');
    expect(failing.code).toBe(1);
    const results = JSON.parse(failing.stdout) as { url: string; outcome: string; error: string | null }[];
    expect(results.map((r) => [r.url, r.outcome])).toEqual([
      [feed, 'synced'],
      [`${base}/gone/feed/`, 'failed'],
    ]);
    expect(results[1]?.error).toMatch(/HTTP 404/);
    expect((await cli('discussion', 'list')).stdout).toMatch(
      new RegExp(`${base}/gone/feed/  comment-feed  its own article \\(on the first sync\\)  failing \\(1×\\): HTTP 404`),
    );
    expect((await cli('discussion', 'remove', `${base}/gone/feed/`)).stdout).toBe(`stopped following ${base}/gone/feed/\n`);
    const again = await cli('discussion', 'remove', `${base}/gone/feed/`);
    expect([again.code, again.stderr]).toEqual([1, `paperboy: not following ${base}/gone/feed/ (see \`paperboy discussion list\`)\n`]);
  });
});
