/** `paperboy feed …` and `paperboy ingest` of saved feed files, against a local HTTP server. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { cliWith } from './helpers/cli.ts';

const FEEDS = new URL('./fixtures/feeds/', import.meta.url);
let server: Server;
let base: string;
beforeAll(async () => {
  // The site is on this machine, which feeds reach only when the operator allows it.
  vi.stubEnv('FEED_ALLOW_HOSTS', '127.0.0.1');
  server = createServer((req, res) => {
    if (req.url === '/news.atom')
      return void res.writeHead(200, { 'Content-Type': 'application/atom+xml' }).end(readFileSync(new URL('rss-parser__heise.atom', FEEDS)));
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('GIVEN the feed commands', () => {
  it('THEN add, poll, list and remove work, and a failing feed is named with its reason and exit 1', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'paperboy-feedcli-')), 'f.db');
    const cli = cliWith(() => db);
    expect((await cli('feed', 'add', `${base}/news.atom`, '--name', 'heise')).stdout).toBe(`added ${base}/news.atom as "heise"\n`);
    expect((await cli('feed', 'add', 'ftp://example.com/x')).stderr).toMatch(/"ftp:" feeds are not supported/);
    const polled = await cli('feed', 'poll');
    expect(polled.code).toBe(0);
    expect(polled.stdout).toMatch(new RegExp(`^${base}/news.atom: \\d+ items, \\d+ new, 0 updated\\n$`));
    const store = ArticleStore.open(db);
    expect(
      store
        .list()
        .filter((a) => a.source !== 'heise')
        .map((a) => `${a.title} (${a.source})`),
    ).toEqual([]);
    expect(store.count()).toBeGreaterThan(0);
    store.close();
    await cli('feed', 'add', `${base}/gone.rss`);
    const failing = await cli('feed', 'poll');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe(`failed: ${base}/gone.rss: HTTP 404 Not Found from ${base}/gone.rss\n`);
    const list = await cli('feed', 'list');
    expect(list.stdout).toMatch(new RegExp(`${base}/gone.rss  "127.0.0.1"  failing \\(1×\\): HTTP 404`));
    expect((await cli('feed', 'remove', `${base}/gone.rss`)).stdout).toBe(`removed ${base}/gone.rss\n`);
    expect((await cli('feed', 'remove', `${base}/gone.rss`)).stderr).toMatch(/no feed .*gone\.rss/);
  });

  it('THEN ingest takes saved feed files, RSS and Atom alike', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'paperboy-feedingest-')), 'f.db');
    const cli = cliWith(() => db);
    const out = await cli('ingest', new URL('rss-parser__guardian.rss', FEEDS).pathname, new URL('rss-parser__feedburner.atom', FEEDS).pathname);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^added \d+, updated 0, unchanged 0, failed 0\n$/);
    const again = await cli('ingest', new URL('rss-parser__guardian.rss', FEEDS).pathname);
    expect(again.stdout).toMatch(/^added 0, updated 0, unchanged \d+, failed 0\n$/);
  });
});
