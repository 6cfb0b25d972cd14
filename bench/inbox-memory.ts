/**
 * What a large file dropped into the inbox costs the bot's process: peak RSS (worker threads
 * included) and the longest the event loop was held (what an interaction would wait), while a
 * generated JSON array of --mb megabytes is ingested into a database file. Prints one JSON line.
 * Run alone, in a process of its own: node --import tsx bench/inbox-memory.ts --mb 150 [--thread]
 */
import { createWriteStream, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { processInbox } from '../src/app/library/inbox.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '150' }, thread: { type: 'boolean', default: false } } });
const megabytes = Number(values.mb);
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-inbox-'));
const inbox = join(dir, 'inbox');
const file = join(dir, 'big.json');

// Articles of about 3 kB (8 paragraphs, 5 comments), as a site export would have them.
const paragraph = 'The ministry said on Tuesday that the talks would resume next week, after a pause of three months. ';
const out = createWriteStream(file);
let size = 1;
out.write('[');
for (let i = 0; size < megabytes * 1e6; i++) {
  const article = {
    title: `Generated article ${i}`,
    url: `https://example.org/a/${i}`,
    source: 'Bench',
    body: Array.from({ length: 8 }, (_, k) => `${paragraph.repeat(3)}${k}`).join('\n\n'),
    comments: Array.from({ length: 5 }, (_, k) => ({ text: `Comment ${k} on ${i}: I agree. ${paragraph}` })),
  };
  const text = `${i ? ',\n' : '\n'}${JSON.stringify(article)}`;
  size += text.length;
  if (!out.write(text)) await once(out, 'drain');
}
out.end('\n]\n');
await once(out, 'finish');
const { renameSync, mkdirSync } = await import('node:fs');
mkdirSync(inbox);
renameSync(file, join(inbox, 'big.json'));
utimesSync(join(inbox, 'big.json'), Date.now() / 1000 - 60, Date.now() / 1000 - 60);

const store = SqliteStore.open(join(dir, 'bench.db'));
const rssBefore = process.resourceUsage().maxRSS;
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const t0 = performance.now();
const [result] = await processInbox(inbox, store, { parseIn: values.thread ? 'thread' : 'worker' });
const ms = performance.now() - t0;
delay.disable();
await store.close();
rmSync(dir, { recursive: true, force: true });
if (result?.outcome !== 'processed') throw new Error(`bench: the file was not processed: ${result?.error ?? 'no result'}`);
console.log(
  JSON.stringify({
    inbox_file_mb: megabytes,
    inbox_parse_in: values.thread ? 'thread' : 'worker',
    inbox_articles: result.added,
    inbox_ingest_ms: Math.round(ms),
    inbox_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    inbox_rss_before_mb: Math.round(rssBefore / 1024),
    inbox_max_event_loop_delay_ms: Math.round(delay.max / 1e6),
  }),
);
