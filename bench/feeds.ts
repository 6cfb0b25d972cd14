/**
 * Feed parsing throughput: all ten real feeds in test/fixtures/feeds/ (RSS 0.92/2.0, RDF, Atom;
 * UTF-8 and undeclared ISO-8859-1) parsed from their bytes into Articles, over and over for about
 * three seconds after a warm-up. Decoding, XML parsing, HTML to paragraphs and dates are all in it.
 * Prints one JSON line: `{"feed_items":N,"feed_items_per_s":X}`, N being the items of one pass.
 * Run alone: node --import tsx bench/feeds.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseFeed } from '../src/adapters/feeds/parse.ts';

const DURATION_MS = 3000;
const WARMUP_PASSES = 5;
const dir = new URL('../test/fixtures/feeds/', import.meta.url);
const feeds = readdirSync(dir)
  .sort()
  .map((name) => ({ name, bytes: readFileSync(new URL(name, dir)) }));
const now = new Date();

function pass(): number {
  let items = 0;
  for (const { name, bytes } of feeds) items += parseFeed(bytes, { file: name, now }).items.length;
  return items;
}

const perPass = pass();
for (let i = 1; i < WARMUP_PASSES; i++) pass();
let items = 0;
const start = performance.now();
let elapsed = 0;
while (elapsed < DURATION_MS) {
  items += pass();
  elapsed = performance.now() - start;
}
console.log(JSON.stringify({ feed_items: perPass, feed_items_per_s: Math.round(items / (elapsed / 1000)) }));
