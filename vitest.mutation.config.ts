import { defineConfig } from 'vitest/config';

/**
 * The vitest projects Stryker runs for every mutant. Left out: the shell and
 * renderer projects (they test the Electron shell and React UI, none of the
 * mutated modules), and tests that exercise the *built* bundles in dist/
 * (the CLI test; the token worker case), whose code a mutant in the sandbox
 * sources never reaches — they would only add minutes.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/cli.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
