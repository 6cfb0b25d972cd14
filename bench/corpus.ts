/**
 * A synthetic but realistic corpus for the benchmark: articles and comments recombined from real
 * sentences (the CNN/DailyMail articles, the Reddit thread's comments, the sample article), written
 * out in the article page export format so that ingest parses them exactly as it parses real files.
 * Deterministic: the same seed gives the same corpus.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { detokenize } from './cnndm.ts';

const DATASETS = resolve(import.meta.dirname, '../../shared/datasets');
const SEED_FILE = resolve(import.meta.dirname, '../../shared/seeds/000_19f3c93e7cb867fa.txt');

/** A small, fast, seedable PRNG (mulberry32): Math.random cannot be seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?]["')\]]?)\s+(?=["'([]?[A-Z0-9])/u)
    .map((s) => s.trim())
    .filter((s) => s.length >= 20 && s.length <= 400);
}

export interface Pools {
  bodySentences: string[];
  commentSentences: string[];
  titleParts: string[];
  headings: string[];
}

interface RedditThing {
  kind: string;
  data: { body?: string; replies?: { data?: { children?: RedditThing[] } } | '' };
}

function redditBodies(things: RedditThing[], out: string[]): void {
  for (const t of things) {
    if (t.kind === 't1' && t.data.body && t.data.body !== '[deleted]') out.push(t.data.body);
    const replies = t.data.replies;
    if (replies && replies.data?.children) redditBodies(replies.data.children, out);
  }
}

export function loadPools(): Pools {
  const bodySentences: string[] = [];
  let titleParts: string[] = [];
  const lines = readFileSync(resolve(DATASETS, 'summarization/summeval_cnndm_100.jsonl'), 'utf8').split('\n');
  for (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { article: string; references: string[] };
    bodySentences.push(...sentencesOf(detokenize(row.article)));
    // Headline-like fragments: the opening words of each sentence of the human-written summaries.
    for (const summary of row.references) {
      for (const sentence of sentencesOf(detokenize(summary))) {
        const words = sentence.replace(/[.]$/, '').split(' ');
        if (words.length >= 5) titleParts.push(words.slice(0, 9).join(' '));
      }
    }
  }
  const seed = readFileSync(SEED_FILE, 'utf8');
  const [seedBody = '', seedComments = ''] = seed.split(/^\d+ comments$/m);
  bodySentences.push(...sentencesOf(seedBody.replace(/\s+/g, ' ')));
  // Comment text lines are indented by four spaces; their dates are the only such lines starting with a digit.
  const seedCommentText = seedComments
    .split('\n')
    .filter((l) => /^ {4}\D/.test(l))
    .join(' ');

  const bodies: string[] = [];
  const listing = JSON.parse(readFileSync(resolve(DATASETS, 'discussions/reddit_n49rw_announcements_were_back.listing.json'), 'utf8')) as {
    data: { children: RedditThing[] };
  }[];
  redditBodies(listing[1]?.data.children ?? [], bodies);
  const commentSentences = bodies.flatMap((b) => sentencesOf(b.replace(/\s+/g, ' ')));
  commentSentences.push(...sentencesOf(seedCommentText.replace(/\s+/g, ' ')));
  titleParts = [...new Set(titleParts)];
  const headings = ['Background', 'What happened next', 'Reaction', 'The investigation', 'What comes next', 'Analysis', 'Context'];
  return { bodySentences, commentSentences, titleParts, headings };
}

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)]!;
}

function int(min: number, max: number, r: () => number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/** The title of article `i`: two real headline fragments; pairs stay distinct for i below the fragment count squared. */
export function titleOf(i: number, pools: Pools): string {
  const n = pools.titleParts.length;
  const a = pools.titleParts[i % n]!;
  const b = pools.titleParts[Math.floor(i / n) % n]!;
  return `${a}: ${b.split(' ').slice(0, 5).join(' ')}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Article `i` of the corpus as an export file: 15–60 body sentences, 0–50 comments. */
export function exportText(i: number, pools: Pools): string {
  const r = rng(i + 1);
  const out: string[] = [titleOf(i, pools), ''];
  const comments = int(0, 50, r);
  out.push(String(comments), '');
  const sentences = int(15, 60, r);
  let written = 0;
  while (written < sentences) {
    if (written > 0 && r() < 0.08) out.push('', pick(pools.headings, r), '', '');
    const n = Math.min(int(1, 4, r), sentences - written);
    const para: string[] = [];
    for (let k = 0; k < n; k++) para.push(pick(pools.bodySentences, r));
    out.push(para.join(' '), '');
    written += n;
  }
  out.push(`${comments} comments`, 'Information', 'Dear reader, to leave comments on the publication, you must sign in.');
  const year = 2015 + (i % 10);
  for (let c = 1; c <= comments; c++) {
    out.push(`  ${c}. ${int(-5, 20, r)}`);
    out.push(`    ${int(1, 28, r)} ${MONTHS[int(0, 11, r)]} ${year} ${int(10, 23, r)}: ${String(int(0, 59, r)).padStart(2, '0')}`);
    const n = int(1, 4, r);
    const text: string[] = [];
    for (let k = 0; k < n; k++) text.push(pick(pools.commentSentences, r));
    out.push(`    ${text.join(' ')}`);
  }
  return `${out.join('\n')}\n`;
}

const STOP = new Set(
  'a an and are as at be by for from has have in is it of on or the to was were will with after over into its his her their this that says said who not'.split(
    ' ',
  ),
);

/** A bench query with the corpus index of the article whose title it was drawn from: the article a reader would want first. */
export interface JudgedQuery {
  readonly query: string;
  readonly article: number;
}

/** Realistic queries drawn from the corpus's own titles: 1–3 words, phrases and prefixes, each with the article it came from. */
export function judgedQueries(count: number, articles: number, pools: Pools, seed = 7): JudgedQuery[] {
  const r = rng(seed);
  const out: JudgedQuery[] = [];
  while (out.length < count) {
    const article = int(0, articles - 1, r);
    const words = titleOf(article, pools)
      .split(/[^\p{L}\p{N}']+/u)
      .filter((w) => w.length > 2 && !STOP.has(w.toLowerCase()));
    if (words.length < 3) continue;
    const start = int(0, words.length - 3, r);
    const kind = r();
    if (kind < 0.15) out.push({ query: `"${words.slice(start, start + 2).join(' ')}"`, article });
    else if (kind < 0.3) out.push({ query: `${words[start]!.slice(0, 4)}*`, article });
    else out.push({ query: words.slice(start, start + int(1, 3, r)).join(' '), article });
  }
  return out;
}

/** The bench queries alone (judgedQueries without the judgements). */
export function queries(count: number, articles: number, pools: Pools, seed = 7): string[] {
  return judgedQueries(count, articles, pools, seed).map((q) => q.query);
}
