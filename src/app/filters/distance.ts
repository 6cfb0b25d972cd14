/**
 * Edit distance (insertions, deletions, substitutions) between two short names, for "did you mean"
 * (a filter's field, a template's placeholder). Strings further apart in length than 2 are reported
 * as 3 without the work: callers only care about 2 or less, and the caps keep names short.
 */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
