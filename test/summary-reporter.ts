/**
 * Ends a test run with one plain line, `tests: N passed, N failed, N skipped`, which tools that read
 * closing lines of any language understand; vitest's own summary is laid out for people.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of modules) for (const test of module.children.allTests()) count[test.result().state]++;
    const failed = count.failed + modules.filter((m) => m.state() === 'failed' && [...m.children.allTests()].length === 0).length;
    process.stdout.write(`tests: ${count.passed} passed, ${failed} failed, ${count.skipped} skipped\n`);
  }
}
