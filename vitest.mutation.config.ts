import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { MutationSequencer } from './tests/support/mutation-sequencer';

/**
 * The vitest projects Stryker may run against mutants. Left out: the shell and
 * renderer projects (they test the Electron shell and the React UI, none of
 * the mutated modules), and the CLI tests, which drive the *built* bundle in
 * dist/ that a mutant in the sandbox sources never reaches — they would only add
 * minutes. (One token test also uses the built worker; it stays for its other
 * cases.)
 */
// Code a test file runs in its beforeAll/afterAll counts for that file's tests, not as "static" (see the file).
const hookCoverage = 'tests/support/mutation-hook-coverage.ts';

/**
 * Test files that need a process of their own. SoftHSM2 is a process-wide native library, initialised once with
 * the SOFTHSM2_CONF of the first file that loads it (tests/support/softhsm.ts), and ledger-store sets the
 * process-wide write-fault seam. Every other file shares one process per project and mutant run (isolate: false):
 * a mutant's run then pays one process start and one import of the mocked modules instead of one per test file
 * (0.9–1.7 s each). Each mutant run still starts a fresh process (vitest stops its workers when a run ends), so a
 * static mutant — module-level code — is evaluated with that mutant active, as with isolation.
 */
const ownProcess = {
  unit: ['tests/unit/token-driver.test.ts'],
  integration: [
    'tests/integration/download.test.ts',
    'tests/integration/packaging.test.ts',
    'tests/integration/pkcs11-templates.test.ts',
    'tests/integration/request-token.test.ts',
    'tests/integration/token-certificates.test.ts',
    'tests/integration/token-softhsm.test.ts',
    'tests/integration/ledger-store.test.ts',
  ],
};

// electron-builder-config checks the packaging YAML against electron-builder's schema (10 s to load, no mutated code).
const unit = {
  include: ['tests/unit/**/*.test.ts'],
  exclude: ['tests/unit/electron-builder-config.test.ts'],
  environment: 'node',
  env: { LOCK_MOCK_PORT: '0' },
  setupFiles: [hookCoverage],
};
const integration = {
  include: ['tests/integration/**/*.test.ts'],
  // Both drive the built CLI in dist/ (bin/lock-desktop.cjs), which no mutant reaches; in-process they only
  // start the mock AMS, whose own tests state its promises. cli-secrets costs 9 s a run.
  exclude: ['tests/integration/cli.test.ts', 'tests/integration/cli-secrets.test.ts'],
  env: { LOCK_MOCK_PORT: '0' },
  // The longest integration test takes 4 s and the longest hook a few seconds on this machine when idle. A
  // mutant that makes a test wait (a mock that never answers, a retry loop) then fails in 20 s instead of
  // running into Stryker's own timeout, minutes later.
  testTimeout: 20_000,
  hookTimeout: 40_000,
  fileParallelism: false,
  setupFiles: [hookCoverage],
};
// A project's files that share a process, and (name "<project>:own-process") those that get one each.
const split = (name: 'unit' | 'integration', test: typeof unit | typeof integration): TestProjectInlineConfiguration[] => [
  { test: { ...test, name, exclude: [...test.exclude, ...ownProcess[name]], isolate: false } },
  { test: { ...test, name: `${name}:own-process`, include: ownProcess[name], isolate: true } },
];
const projects = [...split('unit', unit), ...split('integration', integration)];

// scripts/mutation.mjs names the projects each module group needs; all of them otherwise.
const wanted = process.env['LOCK_MUTATION_PROJECTS']?.split(',');
export default defineConfig({
  test: {
    projects: projects.filter((p) => !wanted || wanted.includes(String(p.test?.name).replace(/:.*/, ''))),
    // Cheapest test files first: Stryker stops at the first failing test (tests/support/mutation-sequencer.ts).
    sequence: { sequencer: MutationSequencer },
  },
});
