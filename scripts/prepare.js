// npm install's `prepare`: brings the build up to date (scripts/outputs.js, the check bin/paperboy.js
// also runs at start). A production install (`npm ci --omit=dev`) has neither tsx nor esbuild: it keeps
// the build that came with the copied tree when that is up to date, and otherwise stops, naming what
// is out of date and how to build it.
import { canBuild, ensureBuilt } from './outputs.js';

const problem = ensureBuilt();
if (problem) {
  process.stderr.write(`build: ${problem}\n`);
  process.exitCode = 1;
} else if (!canBuild()) {
  process.stdout.write('build: dev dependencies not installed; the build copied in is up to date, so it is kept (dist/, packages/fake-discord/dist/)\n');
}
