import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/shell/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // Real SoftHSM2, real HTTP, real openssl: slower, and run one file at a time on 2 cores.
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
