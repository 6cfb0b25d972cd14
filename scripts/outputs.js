// The build's outputs and the check of whether each is up to date, shared by scripts/build.ts (what to
// rebuild), scripts/prepare.js (npm install) and bin/run.js (every start of the bin). Plain JavaScript
// and synchronous, so the bin can run it before anything else, with or without tsx installed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** Written into each output when it is complete; its time is the build's start, so an edit made during the build is newer. */
export const STAMP = '.built';

/** A change to how things are built makes every output stale. */
const BUILD_SCRIPTS = ['scripts/build.ts', 'scripts/outputs.js'];

/**
 * Each output's folder (from the root, also its name), the files and folders whose change makes it
 * stale, and the folders among those that do not feed it.
 * @type {readonly { name: string, inputs: readonly string[], skip?: readonly string[] }[]}
 */
export const OUTPUTS = [
  { name: 'packages/fake-discord/dist', inputs: ['packages/fake-discord/src', 'tsconfig.json', ...BUILD_SCRIPTS] },
  // The page is the third output; the server never imports it.
  { name: 'dist/node', inputs: ['src', 'commands', 'tsconfig.json', ...BUILD_SCRIPTS], skip: ['src/ui/playground/client', 'src/ui/playground/public'] },
  { name: 'dist/page', inputs: ['src/ui/playground/client', 'src/ui/playground/public', ...BUILD_SCRIPTS] },
];

/**
 * The outputs under `root` that are missing (no stamp: never built, or a build was killed) or older
 * than one of their inputs, each with the reason, as in `dist/node older than src/main.ts`.
 * @param {string} [root]
 * @param {readonly string[]} [names] only these outputs (default: all)
 * @returns {{ name: string, reason: string }[]}
 */
export function outdated(root = ROOT, names = OUTPUTS.map((o) => o.name)) {
  const found = [];
  for (const output of OUTPUTS.filter((o) => names.includes(o.name))) {
    const built = statSync(join(root, output.name, STAMP), { throwIfNoEntry: false });
    if (!built) {
      found.push({ name: output.name, reason: 'missing' });
      continue;
    }
    const skip = (output.skip ?? []).map((path) => join(root, path));
    for (const input of output.inputs) {
      const newer = changedSince(join(root, input), built.mtimeMs, skip);
      if (newer) {
        found.push({ name: output.name, reason: `older than ${relative(root, newer)}` });
        break;
      }
    }
  }
  return found;
}

/**
 * The first path under `path` changed after `time`. A folder's own time counts too: it changes when a
 * file in it is added, removed or renamed. An input that does not exist (sources left out of a copy)
 * changes nothing.
 * @param {string} path
 * @param {number} time
 * @param {readonly string[]} skip
 * @returns {string | null}
 */
function changedSince(path, time, skip) {
  if (skip.includes(path)) return null;
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return null;
  if (info.mtimeMs > time) return path;
  if (!info.isDirectory()) return null;
  for (const name of readdirSync(path)) {
    const found = changedSince(join(path, name), time, skip);
    if (found) return found;
  }
  return null;
}

/** Whether this tree can build: tsx and esbuild are dev dependencies, gone from a production install (`npm prune --omit=dev`). */
export function canBuild() {
  try {
    import.meta.resolve('tsx');
    import.meta.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

/**
 * Brings every output up to date: when one is stale or missing, runs the build (scripts/build.ts, for
 * those alone; its lines go to stderr, as stdout may be a command's output), which needs tsx and esbuild.
 * When nothing changed, this is a look at the inputs' dates (a few milliseconds).
 * @returns {string | null} null when up to date, else one line naming what is out of date and the fix
 */
export function ensureBuilt() {
  const stale = outdated();
  if (stale.length === 0) return null;
  const list = (/** @type {typeof stale} */ found) => found.map((o) => `${o.name} ${o.reason}`).join(', ');
  if (!canBuild()) {
    return `build out of date (${list(stale)}), and tsx and esbuild, which build it, are not installed: run \`npm ci\` (it builds), then \`npm prune --omit=dev\``;
  }
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts'), ...stale.map((o) => o.name)], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (build.status === 0) return null;
  const how = build.error?.message ?? (build.signal ? `killed by ${build.signal}` : `exit ${build.status}`);
  // Named again: the outputs built before the failure are up to date now.
  return `build out of date (${list(outdated())}), and building it failed (${how}): see above, or run \`npm run build\``;
}
