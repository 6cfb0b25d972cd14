/**
 * A parser's warnings, counted by kind: the first few of each kind are listed, the rest only
 * counted in one closing line. A hostile feed or listing of 100,000
 * nameless or repeated items then costs twenty lines and a total, not 100,000 lines in every log.
 */

/** Warnings of one kind listed one by one before they are only counted. */
export const LISTED_WARNINGS = 20;

export class CappedWarnings {
  private readonly list: string[];
  private readonly counts = new Map<string, number>();

  /** `first` are listed as they are (the decoder's: a handful at most). */
  constructor(
    private readonly where: string,
    first: readonly string[] = [],
  ) {
    this.list = [...first];
  }

  add(kind: string, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= LISTED_WARNINGS) this.list.push(`${this.where}: ${message}`);
  }

  /** The listed warnings, then one line per kind that had more than were listed. */
  done(): string[] {
    const out = [...this.list];
    for (const [kind, n] of this.counts)
      if (n > LISTED_WARNINGS) out.push(`${this.where}: ${(n - LISTED_WARNINGS).toLocaleString('en-US')} more like that (${kind}) not listed`);
    return out;
  }
}
