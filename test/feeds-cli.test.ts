/**
 * `paperboy feed poll` as a separate process, the way an operator runs it (issue 13, points 7 and
 * 8): feeds on this machine are refused until FEED_ALLOW_HOSTS allows them, and feeds are parsed in
 * the worker thread, which must start from the bin's compiled build as it does from the sources under vitest.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { BIN, bringBuildUpToDate } from './helpers/process.ts';

const GUARDIAN = readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url));
const HOSTILE = `<rss version="2.0"><channel><title>T</title></channel></rss>${'</rss><!--'.repeat(160_000)}`;

let site: LocalSite;
const requests: string[] = [];
beforeAll(async () => {
  site = await serveLocally((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/news.rss') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(GUARDIAN);
    if (req.url === '/hostile.rss') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(HOSTILE);
    if (req.url === '/metadata.rss') return void res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
    res.writeHead(404).end();
  });
});
afterAll(() => site.close());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function paperboy(dir: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  bringBuildUpToDate();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, DATABASE_PATH: join(dir, 'feeds.db'), ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('GIVEN feeds served on 127.0.0.1 and `paperboy feed poll` run as its own process', () => {
  it('THEN they are refused by default, naming the rule, with nothing sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-feedproc-'));
    expect((await paperboy(dir, {}, 'feed', 'add', `${site.base}/news.rss`)).code).toBe(0);
    const before = requests.length;
    const polled = await paperboy(dir, {}, 'feed', 'poll');
    expect(polled).toMatchObject({
      code: 1,
      stderr: `failed: ${site.base}/news.rss: refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)\n`,
    });
    expect(requests.length).toBe(before);
    const list = await paperboy(dir, {}, 'feed', 'list');
    expect(list.stdout).toContain('failing (1×): refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)');
  });

  it('THEN with FEED_ALLOW_HOSTS they are read and parsed in the worker, a hostile feed fails alone, and a redirect to the metadata service is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-feedproc-'));
    const allow = { FEED_ALLOW_HOSTS: '127.0.0.1' };
    for (const path of ['/news.rss', '/hostile.rss', '/metadata.rss']) expect((await paperboy(dir, allow, 'feed', 'add', `${site.base}${path}`)).code).toBe(0);
    const polled = await paperboy(dir, allow, 'feed', 'poll');
    expect(polled.code).toBe(1);
    expect(polled.stdout).toMatch(new RegExp(`^${site.base}/news\\.rss: \\d+ items, \\d+ new, 0 updated$`, 'm'));
    expect(polled.stderr).toMatch(
      new RegExp(
        `^failed: ${site.base}/hostile\\.rss: ${site.base}/hostile\\.rss:1: expected the document to end with </rss>; it stops at ".*" \\(truncated\\?\\)$`,
        'm',
      ),
    );
    expect(polled.stderr).toContain(
      `failed: ${site.base}/metadata.rss: refused: 169.254.169.254 is a link-local address (set FEED_ALLOW_HOSTS to allow it) (redirected from ${site.base}/metadata.rss)`,
    );
  });

  it('THEN a FEED_ALLOW_HOSTS that cannot be read stops the command, naming the entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-feedproc-'));
    const run = await paperboy(dir, { FEED_ALLOW_HOSTS: '127.0.0.1, 10.0.0.0/40' }, 'feed', 'list');
    expect(run).toMatchObject({
      code: 1,
      stderr: 'paperboy: configuration: FEED_ALLOW_HOSTS: "10.0.0.0/40": the prefix length must be a number from 0 to 32\n',
    });
  });
});
