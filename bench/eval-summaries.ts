/**
 * `npm run eval:summaries`: three-sentence summaries of the SummEval CNN/DailyMail sample, ours
 * against Lead-3, scored against the original highlights with ROUGE-1/2/Lsum F1 (rouge-score's
 * definition). Exits non-zero unless ours beats Lead-3 on all three over the full set. The two
 * halves are shown so that a gain that holds on one half only is visible.
 */
import { summarizeText } from '../src/text/summarize.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { loadCnnDm, type CnnDmItem } from './cnndm.ts';
import { rougeF, type RougeTriple } from './rouge.ts';

const SUMMARY_SENTENCES = 3;

type System = (item: CnnDmItem) => string[];

const lead3: System = (item) => splitSentences(item.article).slice(0, SUMMARY_SENTENCES).map((s) => s.text);
const ours: System = (item) => summarizeText([item.article], undefined, { sentences: SUMMARY_SENTENCES }).map((s) => s.text);

/** Mean F1 (in points) of a system over items; sentences go one per line, as ROUGE-Lsum needs. */
function score(items: readonly CnnDmItem[], system: System): RougeTriple {
  const total = { rouge1: 0, rouge2: 0, rougeLsum: 0 };
  for (const item of items) {
    const reference = splitSentences(item.reference).map((s) => s.text).join('\n');
    const r = rougeF(reference, system(item).join('\n'));
    total.rouge1 += r.rouge1;
    total.rouge2 += r.rouge2;
    total.rougeLsum += r.rougeLsum;
  }
  const n = Math.max(1, items.length);
  return { rouge1: (100 * total.rouge1) / n, rouge2: (100 * total.rouge2) / n, rougeLsum: (100 * total.rougeLsum) / n };
}

function row(name: string, set: string, r: RougeTriple): string {
  const cell = (x: number): string => x.toFixed(2).padStart(7);
  return `${name.padEnd(8)} ${set.padEnd(12)} ${cell(r.rouge1)} ${cell(r.rouge2)} ${cell(r.rougeLsum)}`;
}

function beats(a: RougeTriple, b: RougeTriple): boolean {
  return a.rouge1 > b.rouge1 && a.rouge2 > b.rouge2 && a.rougeLsum > b.rougeLsum;
}

function main(): void {
  const items = loadCnnDm();
  const half = Math.floor(items.length / 2);
  const sets: [string, CnnDmItem[]][] = [
    [`all (${items.length})`, items],
    [`1-${half}`, items.slice(0, half)],
    [`${half + 1}-${items.length}`, items.slice(half)],
  ];
  console.log(`${'system'.padEnd(8)} ${'set'.padEnd(12)} ${'R-1'.padStart(7)} ${'R-2'.padStart(7)} ${'R-Lsum'.padStart(7)}`);
  let fullOk = false;
  for (const [name, set] of sets) {
    const l = score(set, lead3);
    const o = score(set, ours);
    console.log(row('lead-3', name, l));
    console.log(row('ours', name, o));
    const d = { rouge1: o.rouge1 - l.rouge1, rouge2: o.rouge2 - l.rouge2, rougeLsum: o.rougeLsum - l.rougeLsum };
    console.log(`${'delta'.padEnd(8)} ${name.padEnd(12)} ${[d.rouge1, d.rouge2, d.rougeLsum].map((x) => (x >= 0 ? '+' : '') + x.toFixed(2)).map((s) => s.padStart(7)).join(' ')}`);
    if (set === items) fullOk = beats(o, l);
  }
  console.log('(published Lead-3 on this set, with another sentence splitter: 41.2 / 19.1 / 37.2)');
  if (!fullOk) {
    console.error('eval:summaries: ours does not beat Lead-3 on all of R-1, R-2 and R-Lsum');
    process.exitCode = 1;
  }
}

main();
