/**
 * For tests that show work is linear in its input (the old quadratic times were seconds to minutes,
 * so the bounds are generous): not a speed target, which belongs in `npm run bench`.
 */

/** Milliseconds `fn` takes, the best of three (a shared machine only ever adds time). */
export function millis(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}
