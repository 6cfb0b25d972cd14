/**
 * The bin runs the build (dist/), so it must not run one older than the sources: at start it checks
 * each output's stamp against its inputs (scripts/outputs.js), builds what is stale or missing when
 * tsx and esbuild are installed, and otherwise stops naming what is out of date. Each test works on a
 * copy of the tree in a temporary folder, its node_modules linked to this one's package by package,
 * so a pruned production install is the same copy without tsx and esbuild.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS, STAMP, outdated } from '../scripts/outputs.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = ['bin', 'scripts', 'src', 'commands', 'package.json', 'tsconfig.json', 'packages/fake-discord/package.json', 'packages/fake-discord/src'];
const BUILD_TOOLS = ['tsx', 'esbuild', '@esbuild', '.bin'];

const trees: string[] = [];
let built: string;

/** An hour ago: the copied sources' time, so that an edit made now is newer than a build stamped after them. */
const PAST = new Date(Date.now() - 3_600_000);

/**
 * A copy of the sources, dated PAST; with `outputsFrom`, that tree's build copied in and stamped a
 * minute after PAST (up to date); without `tools`, no tsx or esbuild.
 */
function copyTree(options: { tools: boolean; outputsFrom?: string }): string {
  const tree = mkdtempSync(join(tmpdir(), 'paperboy-build-'));
  trees.push(tree);
  for (const path of SOURCES) {
    cpSync(join(ROOT, path), join(tree, path), { recursive: true });
    backdate(join(tree, path));
  }
  mkdirSync(join(tree, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (options.tools || !BUILD_TOOLS.includes(name)) symlinkSync(join(ROOT, 'node_modules', name), join(tree, 'node_modules', name));
  }
  if (options.outputsFrom) {
    const stamped = new Date(PAST.getTime() + 60_000);
    for (const { name } of OUTPUTS) {
      cpSync(join(options.outputsFrom, name), join(tree, name), { recursive: true });
      utimesSync(join(tree, name, STAMP), stamped, stamped);
    }
  }
  return tree;
}

function backdate(path: string): void {
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) backdate(join(path, name));
  utimesSync(path, PAST, PAST);
}

/** Dated now, as `git pull` dates the files it changes. */
function edit(tree: string, path: string): void {
  const now = new Date();
  utimesSync(join(tree, path), now, now);
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function node(tree: string, script: string, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(tree, script), ...args], {
      cwd: tree,
      env: { PATH: process.env.PATH },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// The first start of a tree never built is the build every other test copies.
let firstStart: Outcome;
beforeAll(async () => {
  built = copyTree({ tools: true });
  firstStart = await node(built, 'bin/paperboy.js', '--help');
}, 60_000);
afterAll(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

describe('GIVEN tsx and esbuild installed (a development tree)', () => {
  it('THEN the first start builds every output before running, leaving none out of date', () => {
    expect(firstStart.stderr.match(/^build: \S+/gm)?.sort()).toEqual(OUTPUTS.map((o) => `build: ${o.name}`).sort());
    expect(firstStart.stdout).toContain('Usage: paperboy');
    expect(firstStart.code).toBe(0);
    expect(outdated(built)).toEqual([]);
  });

  it('THEN a start after a source changed (git pull without a build) rebuilds that output alone, then runs', async () => {
    const tree = copyTree({ tools: true, outputsFrom: built });
    edit(tree, 'src/main.ts');
    expect(outdated(tree)).toEqual([{ name: 'dist/node', reason: 'older than src/main.ts' }]);

    const r = await node(tree, 'bin/paperboy.js', '--help');
    expect(r.stderr).toMatch(/^build: dist\/node \(\d+\.\d s\)\n$/);
    expect(r.stdout).toContain('Usage: paperboy');
    expect(outdated(tree)).toEqual([]);
  });

  it('THEN a change to the page client leaves the server build up to date', () => {
    const tree = copyTree({ tools: true, outputsFrom: built });
    edit(tree, 'src/ui/playground/client/app.ts');
    expect(outdated(tree)).toEqual([{ name: 'dist/page', reason: 'older than src/ui/playground/client/app.ts' }]);
  });
});

describe('GIVEN no tsx or esbuild (a production install after npm prune --omit=dev)', () => {
  it('THEN a start with an output stale or missing stops in one line naming them and the fix, and runs nothing', async () => {
    const tree = copyTree({ tools: false, outputsFrom: built });
    edit(tree, 'commands/search.ts');
    rmSync(join(tree, 'dist/page'), { recursive: true });

    const r = await node(tree, 'bin/paperboy.js', '--help');
    expect(r.stderr).toBe(
      'paperboy: build out of date (dist/node older than commands/search.ts, dist/page missing), and tsx and esbuild, which build it, are not installed: ' +
        'run `npm ci` (it builds), then `npm prune --omit=dev`\n',
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    // npm install's prepare says the same.
    expect(await node(tree, 'scripts/prepare.js')).toMatchObject({ code: 1, stderr: r.stderr.replace(/^paperboy:/, 'build:') });
  });

  it('THEN an up-to-date build copied in starts as it is, building nothing', async () => {
    const tree = copyTree({ tools: false, outputsFrom: built });
    const r = await node(tree, 'bin/paperboy.js', '--help');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Usage: paperboy');
  });
});
