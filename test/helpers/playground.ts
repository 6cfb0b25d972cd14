/**
 * The playground as `npm start` runs it without a token, in this process: its own database, a
 * temporary articles directory (the shipped sample and a real feed), the product's commands.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commands } from '../../commands/index.ts';
import { loadConfig } from '../../src/config.ts';
import { type Playground, startPlayground } from '../../src/ui/playground/start.ts';
import { capturedLogger } from './log.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLE = join(ROOT, 'data/articles/000_19f3c93e7cb867fa.txt');
export const GUARDIAN = join(ROOT, 'test/fixtures/feeds/rss-parser__guardian.rss');

export interface TestPlayground {
  readonly playground: Playground;
  readonly url: string;
  /** Every log line at warn or above, parsed. */
  readonly problems: Record<string, unknown>[];
  close(): Promise<void>;
}

/** `env` adds to or overrides the settings (such as a PLAYGROUND_PORT to reuse). */
export async function startTestPlayground(files: readonly string[] = [SAMPLE, GUARDIAN], env: Record<string, string> = {}): Promise<TestPlayground> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-playground-'));
  const articles = join(dir, 'articles');
  mkdirSync(articles);
  for (const f of files) copyFileSync(f, join(articles, f.split('/').pop() ?? 'article'));
  const config = loadConfig({
    PLAYGROUND_PORT: '0',
    PLAYGROUND_DATABASE_PATH: join(dir, 'playground.db'),
    INBOX_DIR: join(dir, 'inbox'),
    // Once a year: the tests run delivery with /deliver, so a scheduled run never races them.
    DELIVERY_CRON: '0 0 1 1 *',
    // The feed sites of the tests are served on this machine, which feeds reach only when allowed.
    FEED_ALLOW_HOSTS: '127.0.0.1',
    ...env,
  });
  const { log, lines: problems } = capturedLogger('warn');
  const playground = await startPlayground({ config, log, commands, articlesDir: articles });
  return { playground, url: playground.url, problems, close: () => playground.stop() };
}
