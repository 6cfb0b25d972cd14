/**
 * Timing of the text engine on long inputs: summarize() on a 10,000-word and a 100,000-word article
 * made by recombining real sentences of the CNN/DailyMail sample (shuffled with a fixed seed, five
 * sentences a paragraph, a heading every twenty paragraphs). Median of several runs after warm-up.
 * Run alone with `node --import tsx bench/text.ts` (prints one JSON line), or call runTextBench().
 */
import { pathToFileURL } from 'node:url';
import type { Article } from '../src/core/model.ts';
import { splitSentences } from '../src/core/text/sentences.ts';
import { summarize } from '../src/core/text/summarize.ts';
import { wordCount } from '../src/core/text/terms.ts';
import { loadCnnDm } from './cnndm.ts';
import { rng as random } from './corpus.ts';

const WARMUP_RUNS = 20;
const TIMED_RUNS = 11;

/** An article of at least `words` words built from real sentences. */
export function syntheticArticle(words: number, sentences: readonly string[], seed = 1): Pick<Article, 'title' | 'body'> {
  const next = random(seed);
  const body: Article['body'] = [];
  let count = 0;
  let paragraph: string[] = [];
  let paragraphs = 0;
  while (count < words) {
    const s = sentences[Math.floor(next() * sentences.length)] ?? '';
    paragraph.push(s);
    count += wordCount(s);
    if (paragraph.length === 5 || count >= words) {
      if (paragraphs > 0 && paragraphs % 20 === 0) body.push({ type: 'heading', text: `Part ${paragraphs / 20 + 1}` });
      body.push({ type: 'paragraph', text: paragraph.join(' ') });
      paragraph = [];
      paragraphs++;
    }
  }
  return { title: sentences[0] ?? 'Untitled', body };
}

function medianMs(run: () => unknown): number {
  for (let i = 0; i < WARMUP_RUNS; i++) run();
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/**
 * Median milliseconds of summarize() (default options) on 10k- and 100k-word articles, and the
 * very first call in the process (before JIT and stem memo are warm) for comparison.
 */
export async function runTextBench(): Promise<Record<string, number>> {
  const sentences = loadCnnDm().flatMap((item) => splitSentences(item.article).map((s) => s.text));
  const small = syntheticArticle(10_000, sentences, 1);
  const large = syntheticArticle(100_000, sentences, 2);
  const round = (x: number): number => Math.round(x * 100) / 100;
  const t0 = performance.now();
  summarize(syntheticArticle(10_000, sentences, 3));
  const firstCall = performance.now() - t0;
  return Promise.resolve({
    summarize_10k_words_first_call_ms: round(firstCall),
    summarize_10k_words_ms: round(medianMs(() => summarize(small))),
    summarize_100k_words_ms: round(medianMs(() => summarize(large))),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runTextBench().then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
