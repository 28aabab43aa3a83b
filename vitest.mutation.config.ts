import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The vitest projects Stryker may run against mutants. Left out: the shell and
 * renderer projects (they test the Electron shell and the React UI, none of
 * the mutated modules), and the CLI test, which drives the *built* bundle in
 * dist/ that a mutant in the sandbox sources never reaches — it would only add
 * minutes. (One token test also uses the built worker; it stays for its other
 * cases.)
 */
const projects: TestProjectInlineConfiguration[] = [
  // electron-builder-config checks the packaging YAML against electron-builder's schema (10 s to load, no mutated code).
  { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: ['tests/unit/electron-builder-config.test.ts'], environment: 'node' } },
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
];

// scripts/mutation.mjs names the projects each module group needs; all of them otherwise.
const wanted = process.env['LOCK_MUTATION_PROJECTS']?.split(',');
export default defineConfig({
  test: { projects: projects.filter((p) => !wanted || wanted.includes(String(p.test?.name))) },
});
