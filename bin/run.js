// What both entries do around Paperboy's `main`: bin/paperboy.js (the build) and bin/dev.js (the sources).
import { existsSync } from 'node:fs';
import { ensureBuilt } from '../scripts/outputs.js';

/**
 * Loads settings from ./.env, runs `main(argv)` of the module `load` imports, and sets the exit code.
 * @param {() => Promise<{ main: (argv: string[]) => Promise<number> }>} load imports Paperboy's main module: src/main.ts, or its compiled dist/node/src/main.js
 * @param {{ built?: boolean }} [options] `built`: `load` imports the build, so bring it up to date first
 */
export async function run(load, options = {}) {
  if (options.built) {
    // After a `git pull` without a rebuild, the old release would run as if nothing had changed.
    const problem = ensureBuilt();
    if (problem) {
      process.stderr.write(`paperboy: ${problem}\n`);
      process.exitCode = 1;
      return;
    }
  }
  // A .env file in the current directory fills in settings that the environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');

  // A reader that stops early (`paperboy export | head`) closes the pipe: that ends the output, it is no error.
  process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

  const { main } = await load();
  process.exitCode = await main(process.argv.slice(2));
}
