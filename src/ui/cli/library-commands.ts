/** `paperboy ingest | search | show | list | export`: the article library from the command line. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { collectFiles, emptyReport, ingestFiles, unlistedNote } from '../../app/library/ingest.ts';
import { loadConfig } from '../../config.ts';
import { MAX_LIMIT as MAX_SEARCH_LIMIT, type Scope } from '../../adapters/store/search.ts';
import { commentOrigins, originKey, searchPage } from '../../app/library/search.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import { type Io, json, positiveInt, withStore } from './context.ts';
import { checkRange, dateOption } from './date-option.ts';
import { renderArticle, renderList, renderSearch } from './render.ts';
import { resolveArticle } from './resolve-article.ts';

/** The store answers at most MAX_SEARCH_LIMIT hits a page; a larger --limit is refused rather than quietly cut. */
function searchLimit(value: string): number {
  const n = positiveInt('--limit')(value);
  if (n > MAX_SEARCH_LIMIT)
    throw new UserError('bad-option', `--limit: expected a whole number from 1 to ${MAX_SEARCH_LIMIT}, got \`${value}\` (use --page for more)`);
  return n;
}

export function registerLibraryCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('ingest')
    .description('store articles from .txt exports, .json and .jsonl files; folders are read recursively')
    .argument('<path...>', 'files or folders')
    .option('--source <name>', 'source name for files that carry none (the .txt export)')
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], opts: { source?: string; json?: boolean }, cmd: Command) => {
      await withStore(
        cmd,
        async (store) => {
          const report = emptyReport();
          const files = await collectFiles(paths, report);
          const bar = process.stderr.isTTY && !opts.json && files.length > 1 ? new SingleBar({ stream: process.stderr, clearOnComplete: true }) : null;
          bar?.start(files.length, 0);
          // Parsed on a worker thread while the articles before are stored (for inputs large enough to be worth one).
          await ingestFiles(files, store, { source: opts.source ?? null, maxBytes: loadConfig().maxInputBytes, onProgress: (n) => bar?.update(n) }, report);
          bar?.stop();
          if (opts.json) io.out(json(report));
          else {
            io.out(`added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, failed ${report.failed}`);
            for (const f of report.failures) io.err(`failed: ${f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`}`);
            for (const w of report.warnings) io.err(`warning: ${w}`);
            const unlisted = unlistedNote(report);
            if (unlisted) io.err(unlisted);
            if (report.skipped.length > 0)
              io.err(
                `skipped ${report.skipped.length} file(s) that are not .txt or .json: ${report.skipped.slice(0, 5).join(', ')}${report.skipped.length > 5 ? ', …' : ''}`,
              );
          }
          if (report.failed > 0) setExitCode(1);
        },
        true,
      );
    });

  program
    .command('search')
    .description('full-text search over articles and comments')
    .argument('<query...>', 'words, "exact phrases", -excluded, prefix*')
    // "-russia" in a query excludes a word: it must reach the query, not be rejected as an unknown option.
    .allowUnknownOption()
    .addOption(new Option('--in <scope>', 'what to search').choices(['articles', 'comments', 'all']).default('all'))
    .option('--source <name>', 'only this source')
    .option('--from <date>', 'from this date (YYYY-MM-DD)', dateOption('--from'))
    .option('--to <date>', 'up to this date (YYYY-MM-DD)', dateOption('--to'))
    .option('--limit <n>', `results per page (1-${MAX_SEARCH_LIMIT})`, searchLimit, 10)
    .option('--page <n>', 'page number', positiveInt('--page'), 1)
    .option('--newest', 'newest first instead of best match first')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        words: string[],
        opts: { in: Scope; source?: string; from?: string; to?: string; limit: number; page: number; newest?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        checkRange(opts.from, opts.to);
        await withStore(cmd, async (store) => {
          const query = {
            query: words.join(' '),
            scope: opts.in,
            source: opts.source ?? null,
            from: opts.from ?? null,
            to: opts.to ?? null,
            order: opts.newest ? 'newest' : 'relevance',
          } as const;
          const result = await searchPage(store, query, opts.page, opts.limit);
          const origins = commentOrigins(result.hits);
          // JSON adds where a comment was written (and its link) to comment hits from elsewhere, and nothing else.
          const hits = result.hits.map((h) => {
            const o = origins.get(originKey(h));
            return o?.source ? { ...h, commentSource: o.source, ...(o.url ? { commentUrl: o.url } : {}) } : h;
          });
          io.out(opts.json ? json({ ...result, hits }) : renderSearch(result, io.tty, origins));
        });
      },
    );

  program
    .command('show')
    .description('an article with its comments')
    .argument('<id>', 'article id, id prefix or URL')
    .option('--json', 'print the Article as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const article = await resolveArticle(store, id);
        io.out(opts.json ? json(article) : renderArticle(article));
      });
    });

  program
    .command('list')
    .description('stored articles, newest first')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const rows = await store.list();
        io.out(opts.json ? json(rows) : renderList(rows));
      });
    });

  program
    .command('export')
    .description('every article with its comments, as JSON that `ingest` takes back')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--jsonl', 'JSON Lines, one article per line (the default for a file ending in .jsonl): for large libraries, since ingest reads it line by line')
    .action(async (opts: { output?: string; jsonl?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        // Streamed one article at a time so that exporting a large library needs little memory.
        const file = opts.output ? createWriteStream(opts.output) : null;
        if (file && opts.output) {
          const output = opts.output;
          await once(file, 'open').catch((error: unknown) => {
            throw new UserError('bad-option', `cannot write ${output}: ${errorMessage(error)}`);
          });
        }
        const write = async (text: string) => {
          if (!file) await io.write(text);
          else if (!file.write(text)) await once(file, 'drain');
        };
        const lines = opts.jsonl === true || (opts.output?.toLowerCase().endsWith('.jsonl') ?? false);
        let first = true;
        if (!lines) await write('[');
        for await (const article of store.all()) {
          await write(lines ? `${JSON.stringify(article)}\n` : `${first ? '\n' : ',\n'}${JSON.stringify(article)}`);
          first = false;
        }
        if (!lines) await write(first ? ']\n' : '\n]\n');
        if (file) {
          file.end();
          await once(file, 'finish');
        }
      });
    });
}
