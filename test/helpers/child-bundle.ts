/**
 * A TypeScript child process for a test, bundled once into one JavaScript file. Started with
 * `node --import tsx`, each start compiles and loads the sources again: about 4 s on a busy 2-core
 * machine, paid at every start of a test that kills and restarts its child several times. The
 * bundle is the same code (the project's sources inlined, the packages left as imports) and starts
 * in the time node takes to load the packages.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Under node_modules, so that the packages the bundle imports resolve as they do from the sources. */
const CACHE = resolve(import.meta.dirname, '../../node_modules/.cache/paperboy-test-children');

export interface ChildBundle {
  /** The bundled file, to run as `node <path> …`. */
  readonly path: string;
  remove(): void;
}

/** Bundles `entry` (a .ts file) into a folder of its own, so that test files running at once never share one. */
export async function bundleChild(entry: string): Promise<ChildBundle> {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, `${basename(entry, '.ts')}-`));
  const path = join(dir, `${basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: path,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
