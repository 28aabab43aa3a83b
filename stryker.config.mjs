// StrykerJS over the modules that carry LOCK Desktop's promises (issue 15).
// `npm run test:mutation` runs it (scripts/mutation.mjs: one Stryker run per set of vitest projects);
// `npx stryker run` runs every group at once with this file alone.

/**
 * What is mutated, in groups that are scored (and can be re-run) separately,
 * and which vitest projects run against each group's mutants
 * (vitest.mutation.config.ts reads LOCK_MUTATION_PROJECTS). Globs, so modules
 * that appear later (src-main/storage/, the OCSP responder) are picked up
 * without editing this list.
 *
 * src/domain, src/contract and the dispatch run the unit project only: their code is mostly
 * module-level zod schemas and message tables, which Stryker can only treat as
 * "static" mutants that run every selected test — with the integration project
 * each would cost a full SoftHSM2/openssl run. The unit project is where the
 * contract and domain promises are stated (generated dispatch tests, boundaries).
 */
export const groups = {
  domain: { projects: ['unit'], mutate: ['src/domain/**/*.ts'] },
  contract: { projects: ['unit'], mutate: ['src/contract/**/*.ts'] },
  dispatch: { projects: ['unit'], mutate: ['src-main/services/api-dispatch.ts'] },
  pkcs11: { projects: ['unit', 'integration'], mutate: ['src-main/services/pkcs11/key-templates.ts', 'src-main/services/pkcs11/ckr-errors.ts'] },
  keys: { projects: ['unit', 'integration'], mutate: ['src-main/services/software-key.ts', 'src-main/services/pbe.ts', 'src-main/services/p12/**/*.ts', 'src-main/services/asn1.ts'] },
  services: {
    projects: ['unit', 'integration'],
    mutate: ['src-main/services/request-service.ts', 'src-main/services/certificate-service.ts', 'src-main/services/bundle-service.ts'],
  },
  store: {
    projects: ['unit', 'integration'],
    mutate: [
      'src-main/storage/**/*.ts',
      'src-main/services/request-ledger.ts',
      'src-main/services/settings.ts',
      'src-main/services/atomic-file.ts',
      'src-main/services/output-files.ts',
      'src-main/services/fs-async.ts',
    ],
  },
  mock: {
    projects: ['unit', 'integration'],
    mutate: [
      'src-main/mock-ams/ams-core.ts',
      'src-main/mock-ams/store.ts',
      'src-main/mock-ams/csr-check.ts',
      'src-main/mock-ams/csr-limits.ts',
      'src-main/mock-ams/crl.ts',
      'src-main/mock-ams/ocsp*.ts',
      'src-main/mock-ams/test-ca.ts',
    ],
  },
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Only the vitest projects that run the mutated code in-process (see vitest.mutation.config.ts).
  // forks, not threads: SoftHSM2 is a process-wide native library, initialised once per process with
  // the SOFTHSM2_CONF of the first test file; each file needs its own process, as in `npm test`.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true, pool: 'forks' },
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-mutant-log.mjs'],
  mutate: Object.values(groups).flatMap((g) => g.mutate),
  // Per-test coverage: each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  checkers: [],
  // Two workers: the machine has 2 cores; vitest inside each worker runs one file at a time.
  concurrency: 2,
  // A mutant's limit is timeoutFactor × its covering tests' dry-run time + timeoutMS. It matters only for mutants
  // that block the event loop (an endless loop: vitest's own 20 s test limit cannot fire); 2.5 × + 60 s made each
  // such mutant cost 2–3 minutes of a worker. Timeout counts as detected, so Timeouts are re-checked one by one
  // (scripts/mutation-recheck.mjs) before a score is reported.
  timeoutMS: 20_000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 30,
  // Re-runs only mutants whose code or covering tests changed. The file stays on this machine (reports/ is
  // gitignored): it is rewritten by every run and by seven people at once, so a committed copy would conflict.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // mutant-log: one line per mutant as it is tested (scripts/stryker-mutant-log.mjs), so a stopped run still tells.
  reporters: ['html', 'json', 'clear-text', 'progress', 'mutant-log'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  // dist/ is copied: one token test drives the built worker.
  ignorePatterns: ['release', 'reports', 'test-results', 'playwright-report', '.cache'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
