import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { keepAlivePlugin } from './tests/support/keep-alive-pool';
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
 * Test files that need a process of their own: those that set process-wide state. SoftHSM2 is a process-wide
 * native library, initialised once with the SOFTHSM2_CONF of the first file that loads it (tests/support/softhsm.ts
 * sets it); the write-fault seam (src-main/storage/write-faults.ts) and environment variables are process-wide too.
 * Every other file shares one process per project and mutant run (isolate: false): a mutant's run then pays one
 * process start and one import of the product's modules instead of one per test file. Each mutant run still starts
 * a fresh process (vitest stops its workers when a run ends), so a static mutant — module-level code — is
 * evaluated with that mutant active, as with isolation. Found by reading each test file and the tests/ helpers it
 * imports, so a new test file is classified without editing this list.
 */
const processWide = /support\/softhsm|write-faults|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|process\.chdir|vi\.(mock|stubEnv|stubGlobal)\(/;
function needsOwnProcess(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file) || !existsSync(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (processWide.test(text)) return true;
  const helpers = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => path.resolve(path.dirname(file), `${m[1]}.ts`));
  return helpers.some((helper) => helper.startsWith(path.resolve('tests')) && needsOwnProcess(helper, seen));
}
const ownProcess = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${dir}/${name}`)
    .filter((file) => needsOwnProcess(path.resolve(file)));

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
  // A mutant that makes a test wait (a mock that never answers, a retry loop) fails at this limit instead of
  // running into Stryker's own timeout, minutes later. 60 s as in vitest.config.ts: the quick_check test of
  // store-seams.test.ts takes 27 s under load, and a test that times out in the dry run stops the whole run.
  testTimeout: 60_000,
  // The longest hook takes a few seconds on this machine when idle.
  hookTimeout: 40_000,
  fileParallelism: false,
  setupFiles: [hookCoverage],
};
// A project's files that share a process, and (name "<project>:own-process") those that get one each.
const split = (name: 'unit' | 'integration', test: typeof unit | typeof integration): TestProjectInlineConfiguration[] => {
  const own = ownProcess(`tests/${name}`);
  return [
    {
      plugins: process.env['LOCK_MUTATION_FRESH'] ? [] : [keepAlivePlugin()],
      test: { ...test, name, exclude: [...test.exclude, ...own], isolate: false },
    },
    { test: { ...test, name: `${name}:own-process`, include: own, isolate: true } },
  ];
};
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
