/**
 * The layer rule is part of `npm run lint` (dependency-cruiser, .dependency-cruiser.cjs): a wrong
 * import fails CI. These run the lint's own command over a fixture tree that breaks each rule on
 * purpose, and over the real tree, which must pass.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.ts';

const BIN = `${PROJECT_ROOT}/node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;

function cruise(...paths: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** `error RULE: FROM → TO` lines, as [rule, from, to]. */
function violations(out: string): string[][] {
  return out
    .split('\n')
    .map((line) => /^\s*error (\S+): (\S+) →\s*(\S*)/.exec(line))
    .filter((m) => m !== null)
    .map((m) => [m[1] ?? '', m[2] ?? '', m[3] ?? '']);
}

describe('GIVEN imports that point up a layer', () => {
  it('THEN the layer lint fails and names each broken rule with the importing file', () => {
    const { status, out } = cruise('test/fixtures/layers');
    expect(status, out).not.toBe(0);
    const found = violations(out);
    const F = 'test/fixtures/layers/src';
    expect(found).toEqual(
      expect.arrayContaining([
        ['core-points-up', `${F}/core/model.ts`, `${F}/app/library.ts`],
        ['app-points-up', `${F}/app/library.ts`, `${F}/ui/discord/bot.ts`],
        ['discord-front-end-not-cli', `${F}/ui/discord/bot.ts`, `${F}/ui/cli/main.ts`],
        ['limits-in-renderer-only', 'test/fixtures/layers/commands/summarize.ts', `${F}/ui/discord/limits.ts`],
        ['discord-js-in-front-ends', `${F}/adapters/poster.ts`, expect.stringMatching(/node_modules\/discord\.js\//)],
      ]),
    );
    // The allowed import (the CLI using nothing above it) is not among them.
    expect(found.filter(([, from]) => from === `${F}/ui/cli/main.ts`)).toEqual([]);
  });
});

describe('GIVEN the product’s own tree', () => {
  it('THEN src/ and commands/ pass the same rules', () => {
    const { status, out } = cruise('src', 'commands');
    expect(violations(out)).toEqual([]);
    expect(status, out).toBe(0);
  });
});
