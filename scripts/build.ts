/**
 * `npm run build` (also npm install's `prepare` and the tests' global setup): what production runs,
 * compiled ahead of time. Three outputs, each rebuilt only when one of its inputs is newer than it
 * (scripts/outputs.js lists them, their inputs and the check, which bin/paperboy.js also runs at start):
 *
 * - `packages/fake-discord/dist/`: the local Discord as JavaScript (the playground runs on it);
 * - `dist/node/`: `src/` and `commands/` as JavaScript, for `bin/paperboy.js` and its worker threads;
 * - `dist/page/`: the playground's page, `public/` as it is and `client/` bundled into `app.js`.
 *
 * TypeScript becomes JavaScript file by file with esbuild, each import left as an import with its
 * `.ts` made `.js`: the same transform tsx applies in tests and `npm run dev`, so production runs what
 * was tested. Measured on this two-core machine, 0.3 s for src/ and commands/, where tsc's emit (with
 * `rewriteRelativeImportExtensions`, checks off) took 5 to 7 s per project, loading every type library
 * for nothing: `npm run typecheck` checks the types.
 *
 * Each output is written to a folder beside it and renamed into place, so a process that starts during
 * a build (another test run in the same tree) loads the old output or the new, never half of one; and
 * one build runs at a time (a lock file), the others waiting for it and then finding nothing to do.
 *
 * @example node --import tsx scripts/build.ts          # what is stale
 * @example node --import tsx scripts/build.ts --force  # everything
 * @example node --import tsx scripts/build.ts page     # only the page (npm run dev)
 */
import { cp, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUTPUTS, ROOT, STAMP, outdated } from './outputs.js';

const PLAYGROUND = join(ROOT, 'src/ui/playground');
const LOCK = join(ROOT, 'dist/.lock');

/** How each output in scripts/outputs.js (which lists them and their inputs) is made, into a fresh folder. */
const MAKE: Record<string, (into: string) => Promise<void>> = {
  'packages/fake-discord/dist': (into) => compile(['packages/fake-discord/src'], 'packages/fake-discord/src', into),
  'dist/node': (into) => compile(['src', 'commands'], '.', into, (path) => path.startsWith(join(PLAYGROUND, 'client'))),
  'dist/page': bundlePage,
};

/** Builds the stale outputs (all with `force`, or only those named in `only`); says what it did through `log`. */
export async function build(options: { force?: boolean; only?: readonly string[]; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const wanted = OUTPUTS.map((o) => o.name).filter((name) => !options.only?.length || options.only.some((only) => name.endsWith(only)));
  const stale = (): string[] => (options.force ? wanted : outdated(ROOT, wanted).map((o) => o.name));
  if (stale().length === 0) return;
  await withLock(async () => {
    // Again under the lock: a build that held it may have made these meanwhile.
    for (const name of stale()) {
      const started = Date.now();
      await replace(name, started);
      log(`build: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  });
}

/** Builds into a fresh folder beside the output, then swaps it in with two renames. */
async function replace(name: string, started: number): Promise<void> {
  const dir = join(ROOT, name);
  const make = MAKE[name];
  if (!make) throw new Error(`build: no way to make \`${name}\` (scripts/outputs.js lists it, scripts/build.ts does not)`);
  const parent = dirname(dir);
  const fresh = join(parent, `.build-${process.pid}`);
  const old = join(parent, `.build-old-${process.pid}`);
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  try {
    await make(fresh);
    const stamp = join(fresh, STAMP);
    await writeFile(stamp, `${new Date(started).toISOString()}\n`);
    await utimes(stamp, started / 1000, started / 1000);
    await rename(dir, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(fresh, dir);
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

/**
 * Runs `work` while holding the lock file (this process's pid, written exclusively). A lock whose
 * process is gone was left by a killed build: it is taken over, and that build's half-made folders removed.
 */
async function withLock(work: () => Promise<void>): Promise<void> {
  await mkdir(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      await writeFile(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await heldByNoOne()) await rm(LOCK, { force: true });
      else await sleep(200);
    }
  }
  try {
    for (const parent of new Set(OUTPUTS.map((o) => dirname(join(ROOT, o.name))))) {
      for (const name of await readdir(parent)) if (name.startsWith('.build-')) await rm(join(parent, name), { recursive: true, force: true });
    }
    await work();
  } finally {
    await rm(LOCK, { force: true });
  }
}

async function heldByNoOne(): Promise<boolean> {
  const [text, info] = await Promise.all([readFile(LOCK, 'utf8').catch(() => null), stat(LOCK).catch(() => null)]);
  if (text === null || !info) return false; // just released: try again
  const pid = Number(text);
  // Empty for the moment between its creation and its write; for longer, its writer died.
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 10_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Every `.ts` file under `folders` as a `.js` file in `outDir`, at its path from `base`. Each file is
 * an entry of a bundle whose every import is external, so each comes out alone, its imports kept and
 * their relative `.ts` made `.js` (tsc and esbuild leave extensions as written).
 */
async function compile(folders: readonly string[], base: string, outDir: string, skip?: (path: string) => boolean): Promise<void> {
  const { build: esbuild } = await import('esbuild');
  const entryPoints: string[] = [];
  for (const folder of folders) entryPoints.push(...(await sources(join(ROOT, folder), skip)));
  await esbuild({
    entryPoints,
    outdir: outDir,
    outbase: join(ROOT, base),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    sourcemap: false,
    logLevel: 'error',
    plugins: [
      {
        name: 'imports-stay-imports',
        setup(on) {
          on.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            const local = args.path.startsWith('./') || args.path.startsWith('../');
            return { path: local ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
          });
        },
      },
    ],
  });
}

async function sources(dir: string, skip?: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip?.(path)) continue;
    if (entry.isDirectory()) found.push(...(await sources(path, skip)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** The page as the playground serves it: the style sheets, icon and HTML copied, the client bundled into one script. */
async function bundlePage(into: string): Promise<void> {
  const { build: esbuild } = await import('esbuild');
  await cp(join(PLAYGROUND, 'public'), into, { recursive: true });
  await esbuild({
    entryPoints: [join(PLAYGROUND, 'client', 'app.ts')],
    outfile: join(into, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    // Unminified and without a map: the page's script reads as its sources do, and stays small.
    minify: false,
    sourcemap: false,
    logLevel: 'error',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  await build({ force: args.includes('--force'), only: args.filter((a) => !a.startsWith('--')) });
}
