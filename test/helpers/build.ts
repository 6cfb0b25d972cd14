/**
 * vitest's global setup: brings the build (scripts/build.ts) up to date before any test runs, since
 * the tests that start `bin/paperboy.js` run the compiled dist/ as production does, and the
 * playground's tests serve the built page. Up to date, this costs the time to look at the sources' dates.
 */
import { build } from '../../scripts/build.ts';

export default async function setup(): Promise<void> {
  await build({ log: (line) => process.stderr.write(`${line}\n`) });
}
