/**
 * The playground page's speed, in chromium: how long `npm start` takes to be ready without a
 * token, the script's size, the first channel drawn, and from an action in the page to its result
 * on screen (a message written; a /search answered), in an empty channel and in one holding 500
 * messages. Prints one JSON line of figures.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { commands } from '../commands/index.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/core/log.ts';
import { startPlayground } from '../src/ui/playground/start.ts';
import { percentile } from './stats.ts';

const ROUNDS = 30;
const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-playground-'));
const articles = join(dir, 'articles');
mkdirSync(articles);
copyFileSync(join(ROOT, 'data/articles/000_19f3c93e7cb867fa.txt'), join(articles, 'sample.txt'));
copyFileSync(join(ROOT, 'test/fixtures/feeds/rss-parser__guardian.rss'), join(articles, 'guardian.rss'));
const config = loadConfig({ PLAYGROUND_PORT: '0', PLAYGROUND_DATABASE_PATH: join(dir, 'p.db'), INBOX_DIR: join(dir, 'inbox'), DELIVERY_CRON: '0 0 1 1 *' });

const started = performance.now();
// Discord's own rate limits would make filling a channel take minutes; the page is what is measured.
const playground = await startPlayground({
  config,
  log: createLogger({ level: 'error', pretty: false }),
  commands,
  articlesDir: articles,
  fake: { rateLimits: { channelMessages: { limit: 10_000, windowMs: 1000 } } },
});
const startMs = performance.now() - started;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const script = await (await fetch(new URL('/app.js', playground.url))).text();
  const page = await browser.newPage();
  // tsx keeps function names through a `__name` helper, which functions sent to the page then call.
  await page.addInitScript('globalThis.__name = (f) => f;');
  const loadStarted = performance.now();
  await page.goto(playground.url);
  await page.locator('#messages .empty-channel').waitFor();
  const firstChannelMs = performance.now() - loadStarted;

  /** In the page: sends, then waits until one more message holding the text is on screen; the time between, in ms. */
  const roundTrip = (path: string, body: Record<string, unknown>, expect: string): Promise<number> =>
    page.evaluate(
      async ([path, body, expect]) => {
        // The page's globals, typed here: this file is checked without the DOM library.
        type Node = { textContent: string | null };
        const page = globalThis as unknown as {
          location: { hash: string };
          document: { querySelectorAll(s: string): Iterable<Node> };
          requestAnimationFrame(f: () => void): void;
        };
        const count = (): number =>
          [...page.document.querySelectorAll('#messages article.message')].filter((m) => (m.textContent ?? '').includes(expect)).length;
        const before = count();
        const channelId = page.location.hash.slice(1);
        const t0 = performance.now();
        const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, channelId }) });
        if (!response.ok) throw new Error(await response.text());
        while (count() <= before) await new Promise<void>((r) => page.requestAnimationFrame(r));
        return performance.now() - t0;
      },
      [path, body, expect] as const,
    );

  const postFiller = (i: number): Promise<unknown> =>
    page.evaluate(
      (i) =>
        fetch('/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channelId: (globalThis as unknown as { location: { hash: string } }).location.hash.slice(1), content: `filler ${i}` }),
        }),
      i,
    );

  const measure = async (label: string): Promise<Record<string, number>> => {
    const post: number[] = [];
    const search: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      post.push(await roundTrip('/api/messages', { content: `${label} message ${i}` }, `${label} message ${i}`));
      search.push(await roundTrip('/api/commands', { name: 'search', options: { query: `trump ${['', 'memo', 'fbi'][i % 3]}`.trim() } }, `Results`));
    }
    return {
      [`${label}_message_to_screen_p50_ms`]: +percentile(post, 50).toFixed(1),
      [`${label}_message_to_screen_p99_ms`]: +percentile(post, 99).toFixed(1),
      [`${label}_search_to_screen_p50_ms`]: +percentile(search, 50).toFixed(1),
      [`${label}_search_to_screen_p99_ms`]: +percentile(search, 99).toFixed(1),
    };
  };

  const empty = await measure('playground_empty');
  // A busy channel: 500 messages already there (the page keeps the latest 200 drawn).
  for (let i = 0; i < 500; i++) await postFiller(i);
  await page.reload();
  await page.locator('#messages article.message').last().waitFor();
  const busy = await measure('playground_busy');

  console.log(
    JSON.stringify({
      playground_start_ms: +startMs.toFixed(0),
      playground_script_kb: +(Buffer.byteLength(script) / 1024).toFixed(1),
      playground_first_channel_ms: +firstChannelMs.toFixed(0),
      ...empty,
      ...busy,
    }),
  );
} finally {
  await browser.close();
  await playground.stop();
  rmSync(dir, { recursive: true, force: true });
}
