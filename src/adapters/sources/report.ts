/**
 * What ingest tells its caller about each file: counts, failures and warnings, listed up to a
 * bound and counted past it, so a folder of a million bad files still gets an honest account.
 */
/** `16 MB`, `1.5 MB`, `900 bytes`: sizes as the cap's setting counts them (1 MB = 1,048,576 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

export interface IngestFailure {
  file: string;
  error: string;
}

export interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: IngestFailure[];
  /** Files in the given folders that ingest does not read (other extensions). */
  skipped: string[];
  /** Not fatal, worth a look: e.g. a declared comment count that differs from the comments found. */
  warnings: string[];
  /**
   * Failures counted in `failed` and warnings beyond the first {@link MAX_LISTED} of each, which
   * are counted only: a file of a million bad lines must not fill memory with a million messages.
   */
  unlisted: { failures: number; warnings: number };
}

/** Failures (and warnings) listed one by one in a report; more are counted in `unlisted`. */
export const MAX_LISTED = 1000;

export function addFailure(report: IngestReport, file: string, error: string): void {
  report.failed++;
  if (report.failures.length < MAX_LISTED) report.failures.push({ file, error });
  else report.unlisted.failures++;
}

export function addWarnings(report: IngestReport, warnings: readonly string[]): void {
  for (const w of warnings) {
    if (report.warnings.length < MAX_LISTED) report.warnings.push(w);
    else report.unlisted.warnings++;
  }
}

/** `and 2,500 more failures and 3 more warnings not listed`, or null when everything was listed. */
export function unlistedNote(report: IngestReport): string | null {
  const { failures, warnings } = report.unlisted;
  const parts = [
    failures > 0 && `${failures.toLocaleString('en-US')} more failure${failures === 1 ? '' : 's'}`,
    warnings > 0 && `${warnings.toLocaleString('en-US')} more warning${warnings === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return parts.length === 0 ? null : `and ${parts.join(' and ')} not listed (only the first ${MAX_LISTED} of each are)`;
}

export function emptyReport(): IngestReport {
  return { added: 0, updated: 0, unchanged: 0, failed: 0, failures: [], skipped: [], warnings: [], unlisted: { failures: 0, warnings: 0 } };
}
