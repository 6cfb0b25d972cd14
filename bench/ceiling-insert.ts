/**
 * The insert ceiling's own process (bench/ceilings.ts): library.ts sends it each chunk of the corpus
 * after ingesting that chunk itself, and waits for its answer, so the two alternate and never run
 * at once, while the library process's peak RSS stays Paperboy's alone.
 *
 *   { start, end }  parse and insert articles start..end-1; answers { done: true }
 *   { finish: true } answers the figures (InsertFigures) and exits
 */
import { parseArgs } from 'node:util';
import { insertCeiling } from './ceilings.ts';
import { exportText, loadPools } from './corpus.ts';

type Request = { start: number; end: number } | { finish: true };

const { values } = parseArgs({ options: { db: { type: 'string' } } });
if (!values.db || !process.send) throw new Error('bench/ceiling-insert.ts: run by library.ts, with --db PATH');
const send = process.send.bind(process);
const pools = loadPools();
const ceiling = insertCeiling(values.db);

process.on('message', (request: Request) => {
  void (async () => {
    if ('finish' in request) {
      const figures = ceiling.figures();
      ceiling.close();
      send(figures, () => process.exit(0));
      return;
    }
    const files = [];
    for (let i = request.start; i < request.end; i++) files.push({ file: `bench/${i}.txt`, content: exportText(i, pools) });
    await ceiling.add(files);
    send({ done: true });
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
