// What both entries do around Paperboy's `main`: bin/paperboy.js (the build) and bin/dev.js (the sources).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Loads settings from ./.env, runs `main(argv)` of the module `load` imports, and sets the exit code.
 * @param {URL} entry the module: src/main.ts, or its compiled dist/node/src/main.js
 * @param {() => Promise<{ main: (argv: string[]) => Promise<number> }>} load imports `entry`
 */
export async function run(entry, load) {
  if (!existsSync(fileURLToPath(entry))) {
    process.stderr.write(`paperboy: ${fileURLToPath(entry)} is missing: run \`npm run build\` (npm install runs it), or \`npm run dev\` for the sources\n`);
    process.exitCode = 1;
    return;
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
