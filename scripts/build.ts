/**
 * `npm run build` (also npm install's `prepare` and the tests' global setup): what production runs,
 * compiled ahead of time. Three outputs, each rebuilt only when one of its inputs is newer than it:
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

const ROOT = resolve(import.meta.dirname, '..');
const PLAYGROUND = join(ROOT, 'src/ui/playground');
/** Written into each output when it is complete; its time is the build's start, so an edit made during the build is newer. */
const STAMP = '.built';
const LOCK = join(ROOT, 'dist/.lock');

interface Output {
  readonly name: string;
  readonly dir: string;
  /** Files and folders whose change makes the output stale. */
  readonly inputs: readonly string[];
  /** Leaves out of `inputs` what does not feed this output. */
  readonly skip?: (path: string) => boolean;
  make(into: string): Promise<void>;
}

const OUTPUTS: readonly Output[] = [
  {
    name: 'packages/fake-discord/dist',
    dir: join(ROOT, 'packages/fake-discord/dist'),
    inputs: ['packages/fake-discord/src', 'tsconfig.json', 'scripts/build.ts'],
    make: (into) => compile(['packages/fake-discord/src'], 'packages/fake-discord/src', into),
  },
  {
    name: 'dist/node',
    dir: join(ROOT, 'dist/node'),
    inputs: ['src', 'commands', 'tsconfig.json', 'scripts/build.ts'],
    // The page is the third output; the server never imports it.
    skip: (path) => path.startsWith(join(PLAYGROUND, 'client')) || path.startsWith(join(PLAYGROUND, 'public')),
    make: (into) => compile(['src', 'commands'], '.', into, (path) => path.startsWith(join(PLAYGROUND, 'client'))),
  },
  {
    name: 'dist/page',
    dir: join(ROOT, 'dist/page'),
    inputs: ['src/ui/playground/client', 'src/ui/playground/public', 'scripts/build.ts'],
    make: bundlePage,
  },
];

/** Builds the stale outputs (all with `force`, or only those named in `only`); says what it did through `log`. */
export async function build(options: { force?: boolean; only?: readonly string[]; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const wanted = OUTPUTS.filter((o) => !options.only?.length || options.only.some((name) => o.name.endsWith(name)));
  if (!options.force && (await Promise.all(wanted.map(isStale))).every((stale) => !stale)) return;
  await withLock(async () => {
    for (const output of wanted) {
      if (!options.force && !(await isStale(output))) continue;
      const started = Date.now();
      await replace(output, started);
      log(`build: ${output.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  });
}

async function isStale(output: Output): Promise<boolean> {
  const built = await stat(join(output.dir, STAMP)).catch(() => null);
  if (!built) return true;
  for (const input of output.inputs) if ((await newest(join(ROOT, input), output.skip)) > built.mtimeMs) return true;
  return false;
}

/** The newest change under `path`; a folder's own time counts too, as it changes when a file is removed or renamed. */
async function newest(path: string, skip?: (path: string) => boolean): Promise<number> {
  if (skip?.(path)) return 0;
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of await readdir(path)) latest = Math.max(latest, await newest(join(path, name), skip));
  return latest;
}

/** Builds into a fresh folder beside the output, then swaps it in with two renames. */
async function replace(output: Output, started: number): Promise<void> {
  const parent = dirname(output.dir);
  const fresh = join(parent, `.build-${process.pid}`);
  const old = join(parent, `.build-old-${process.pid}`);
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  try {
    await output.make(fresh);
    const stamp = join(fresh, STAMP);
    await writeFile(stamp, `${new Date(started).toISOString()}\n`);
    await utimes(stamp, started / 1000, started / 1000);
    await rename(output.dir, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(fresh, output.dir);
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
    for (const parent of new Set(OUTPUTS.map((o) => dirname(o.dir)))) {
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
