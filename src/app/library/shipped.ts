/** The articles shipped in data/articles, stored on every start so a fresh install has something to serve. */
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../../config.ts';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../adapters/store/contract.ts';
import { collectFiles, emptyReport, ingestSources, readFiles } from './ingest.ts';

export const SHIPPED_DIR = resolve(PROJECT_ROOT, 'data', 'articles');

export async function ingestShipped(store: Store, log: Logger, dir = SHIPPED_DIR): Promise<void> {
  const report = emptyReport();
  const files = await collectFiles([dir], report);
  await ingestSources(readFiles(files, report), store, { source: null }, report);
  log.info({ dir, added: report.added, updated: report.updated, unchanged: report.unchanged, failed: report.failed }, 'ingested shipped articles');
  for (const f of report.failures) log.warn({ file: f.file }, f.error);
}
