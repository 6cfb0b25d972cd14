/** `paperboy summarize | quote | digest`: the text engine from the command line. */
import { readFile, stat } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { Article } from '../../core/model.ts';
import { parseSource } from '../../adapters/sources/parse.ts';
import { digest } from '../../core/text/digest.ts';
import { summarize } from '../../core/text/summarize.ts';
import { analyze } from '../../core/text/terms.ts';
import { findComment, quotePassage } from '../../app/library/quote.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import { type Io, json, positiveInt, withStore } from './context.ts';
import { resolveArticle } from './resolve-article.ts';
import { type QuoteView, type SummaryView, renderDigest, renderQuote, renderSummary } from './text-render.ts';

/** Topic words must include one that is not a stopword, or the engine would quietly ignore the topic. */
function topic(value: string): string {
  if (analyze(value).terms.length === 0) {
    throw new UserError('bad-option', `--about: expected at least one word that is not a common word like "the", got \`${value}\``);
  }
  return value;
}

/**
 * The articles in `file`, parsed but not stored. Parse warnings go to stderr; a ParseError
 * propagates, and `run` prints its `file:line: expected …` message.
 */
async function articlesInFile(file: string, io: Io): Promise<Article[]> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new UserError('bad-input', errorMessage(error), { cause: error });
  }
  const { articles, warnings } = parseSource(file, content);
  for (const w of warnings) io.err(`warning: ${w}`);
  if (articles.length === 0) throw new UserError('bad-input', `${file}: no articles in it`);
  return articles;
}

/** An existing file is read as a source; anything else is an id, id prefix or URL in the store. */
async function articlesFor(ref: string, cmd: Command, io: Io): Promise<Article[]> {
  const info = await stat(ref).catch(() => null);
  if (info?.isDirectory()) throw new UserError('bad-option', `${ref} is a folder: give an article id or URL, or one .txt or .json file`);
  if (info?.isFile()) return articlesInFile(ref, io);
  return withStore(cmd, async (store) => [await resolveArticle(store, ref)]);
}

export function registerTextCommands(program: Command, io: Io): void {
  program
    .command('summarize')
    .description('an extractive summary: verbatim sentences of the article, in order')
    .argument('<ref>', 'article id, id prefix or URL; or a .txt or .json file, summarized without storing it')
    .option('--sentences <n>', 'most sentences (default 5, or no limit when only --chars is given)', positiveInt('--sentences'))
    .option('--chars <n>', 'character budget for all sentences together (default 4096)', positiveInt('--chars'))
    .option('--json', 'print as JSON: one object per article, an array when a file holds several')
    .action(async (ref: string, opts: { sentences?: number; chars?: number; json?: boolean }, cmd: Command) => {
      const articles = await articlesFor(ref, cmd, io);
      const views: SummaryView[] = articles.map((a) => ({
        id: a.id,
        title: a.title,
        sentences: summarize(a, { sentences: opts.sentences, maxChars: opts.chars }),
      }));
      if (opts.json) io.out(json(views.length === 1 ? views[0] : views));
      else io.out(views.map(renderSummary).join('\n\n'));
    });

  program
    .command('quote')
    .description('a quotable verbatim passage from the article or its comments, with its source')
    .argument('<id>', 'article id, id prefix or URL')
    .option('--about <words>', 'topic words (without them, a notable passage)', topic)
    .addOption(new Option('--from <where>', 'where to look').choices(['article', 'comments']).default('article'))
    .option('--comment <ref>', 'quote this one comment: its id, number or link, as `show` prints them')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { about?: string; from: 'article' | 'comments'; comment?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const article = await resolveArticle(store, id);
        const picked = opts.comment === undefined ? undefined : findComment(article, opts.comment);
        if (picked === null)
          throw new UserError(
            'not-found',
            `--comment: no comment "${opts.comment}" on "${article.title}" (ids, numbers and links are as \`show\` prints them)`,
          );
        // Nothing found is an answer, not a failure: exit 0, as `search` does with no results.
        const cited = quotePassage(article, picked ? { about: opts.about, from: 'comments', comment: picked.id } : { about: opts.about, from: opts.from });
        const from = picked ? 'comments' : opts.from;
        const view: QuoteView = {
          id: article.id,
          title: article.title,
          about: opts.about ?? null,
          from,
          quote: cited?.quote ?? null,
          citation: cited?.citation ?? null,
        };
        io.out(opts.json ? json(view) : renderQuote(view, cited?.citation ?? null));
      });
    });

  program
    .command('digest')
    .description("a digest of the article's reader discussion")
    .argument('<id>', 'article id, id prefix or URL')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const article = await resolveArticle(store, id);
        const d = digest(article);
        io.out(opts.json ? json({ id: article.id, title: article.title, ...d }) : renderDigest(article, d));
      });
    });
}
