import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { MutationSequencer } from './tests/support/mutation-sequencer';

/**
 * The vitest projects Stryker may run against mutants. Left out: the shell and
 * renderer projects (they test the Electron shell and the React UI, none of
 * the mutated modules), and the CLI test, which drives the *built* bundle in
 * dist/ that a mutant in the sandbox sources never reaches — it would only add
 * minutes. (One token test also uses the built worker; it stays for its other
 * cases.)
 */
// Code a test file runs in its beforeAll/afterAll counts for that file's tests, not as "static" (see the file).
const hookCoverage = 'tests/support/mutation-hook-coverage.ts';
const projects: TestProjectInlineConfiguration[] = [
  // electron-builder-config checks the packaging YAML against electron-builder's schema (10 s to load, no mutated code).
  {
    test: {
      name: 'unit',
      include: ['tests/unit/**/*.test.ts'],
      exclude: ['tests/unit/electron-builder-config.test.ts'],
      environment: 'node',
      setupFiles: [hookCoverage],
    },
  },
  {
    test: {
      name: 'integration',
      include: ['tests/integration/**/*.test.ts'],
      // Both drive the built CLI in dist/ (bin/lock-desktop.cjs), which no mutant reaches; in-process they only
      // start the mock AMS, whose own tests state its promises. cli-secrets costs 9 s a run.
      exclude: ['tests/integration/cli.test.ts', 'tests/integration/cli-secrets.test.ts'],
      // The longest integration test takes 4 s and the longest hook a few seconds on this machine when idle. A
      // mutant that makes a test wait (a mock that never answers, a retry loop) then fails in 20 s instead of
      // running into Stryker's own timeout, minutes later.
      testTimeout: 20_000,
      hookTimeout: 40_000,
      fileParallelism: false,
      setupFiles: [hookCoverage],
    },
  },
];

// scripts/mutation.mjs names the projects each module group needs; all of them otherwise.
const wanted = process.env['LOCK_MUTATION_PROJECTS']?.split(',');
export default defineConfig({
  test: {
    projects: projects.filter((p) => !wanted || wanted.includes(String(p.test?.name))),
    // Cheapest test files first: Stryker stops at the first failing test (tests/support/mutation-sequencer.ts).
    sequence: { sequencer: MutationSequencer },
  },
});
