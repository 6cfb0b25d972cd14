import { availableParallelism } from 'node:os';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Workspace packages load from their TypeScript sources in tests (the `@paperboy/source` export); what production loads is their dist/. */
const SOURCE_CONDITIONS = ['@paperboy/source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // The tests that start bin/paperboy.js run what production runs, the build; this brings it up to date first.
    globalSetup: ['./test/helpers/build.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default (one fewer than the cores) runs the files one at a time on a 2-core machine:
    // 988 s there (with a bench beside it), against 413 s for the same suite two files at once.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
