import fc from 'fast-check';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * Mutation runs only (vitest.mutation.config.ts; a no-op anywhere else): code that a test file runs in its
 * beforeAll/afterAll hooks counts for every test of that file, not as "static".
 *
 * Stryker's vitest runner records which test reaches each mutant while a test runs (its beforeEach sets the
 * current test). Code reached outside a test — at import, or in a beforeAll such as starting the mock AMS,
 * creating its test CA or building a .p12 that the tests then read — lands in one "static" bucket, and a static
 * mutant runs *every* related test file (≈ 75 s each here). Hook-time code is not static: Stryker activates a
 * runtime mutant in its own beforeAll, before the file's hooks, so the file's tests (filtered by name, hooks and
 * all) do see the mutant. This file moves the hits made between its beforeAll and afterAll (the file's hooks and
 * tests) from the static bucket to every test of the file. Hits at import time stay static and are run as before.
 */
interface Coverage {
  static: Record<string, number>;
  perTest: Record<string, Record<string, number>>;
}
interface Task {
  type: string;
  name: string;
  mode?: string;
  suite?: Task;
  file?: { filepath: string };
  tasks?: Task[];
  result?: { state?: string };
}

const read = (key: string): unknown => inject(key as never);
const namespace = read('globalNamespace');
const coverage = (): Coverage | undefined =>
  typeof namespace === 'string' ? (globalThis as unknown as Record<string, { mutantCoverage?: Coverage } | undefined>)[namespace]?.mutantCoverage : undefined;

// The same id Stryker's setup file gives a test (its toRawTestId), so the runner merges them.
function testId(test: Task, separator: string): string {
  const parts = [test.name];
  for (let suite = test.suite; suite; suite = suite.suite) parts.unshift(suite.name);
  return `${test.file?.filepath ?? 'unknown.js'}#${parts.join(separator).trim()}`;
}

function ranTests(task: Task): Task[] {
  if (task.type === 'test') return task.mode !== 'skip' && task.result?.state === 'pass' ? [task] : [];
  return (task.tasks ?? []).flatMap(ranTests);
}

if (typeof namespace === 'string' && read('mode') === 'dry-run') {
  const separator = String(read('testNameSeparator'));
  let atStart: Record<string, number> = {};
  beforeAll(() => {
    atStart = { ...coverage()?.static };
  });
  // eslint-disable-next-line no-empty-pattern -- vitest reads the hook's parameters: the first must be a pattern
  afterAll(({}, suite) => {
    const cov = coverage();
    const tests = ranTests(suite as unknown as Task);
    if (!cov || tests.length === 0) return;
    for (const [mutant, hits] of Object.entries(cov.static)) {
      const duringFile = hits - (atStart[mutant] ?? 0);
      if (duringFile <= 0) continue;
      for (const test of tests) {
        const perTest = (cov.perTest[testId(test, separator)] ??= {});
        perTest[mutant] = (perTest[mutant] ?? 0) + duringFile;
      }
      if (atStart[mutant]) cov.static[mutant] = atStart[mutant];
      else delete cov.static[mutant];
    }
  });
}

// A property that fails under a mutant only has to fail: fast-check's shrinking (searching for the smallest
// counter-example, synchronously, in instrumented code) took minutes per mutant of the PKCS#12 KDF.
if (typeof namespace === 'string') fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
