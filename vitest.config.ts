import path from 'node:path';
import { defineConfig } from 'vitest/config';

// No Electron binary runs on our machines: shell tests load a recording stand-in.
const fakeElectron = { electron: path.resolve('tests/support/fake-electron.ts') };

export default defineConfig({
  test: {
    // Tests never take the embedded mock's fixed port: other runs share this machine.
    env: { LOCK_MOCK_PORT: '0' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        resolve: { alias: fakeElectron },
        test: { name: 'shell', include: ['tests/shell/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        extends: true,
        test: { name: 'renderer', include: ['tests/renderer/**/*.test.tsx'], environment: 'jsdom' },
      },
      {
        extends: true,
        // Real SoftHSM2, real HTTP, real openssl: slower, and run one file at a time on 2 cores.
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
      },
      {
        extends: true,
        // Real consumers (OpenSSL, NSS, Java, GnuTLS, poppler) against the real mock and SoftHSM2, one file at a time.
        test: { name: 'interop', include: ['tests/interop/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false },
      },
      {
        extends: true,
        // The bad-input corpus: hostile servers, files, CSRs, portal requests and IPC inputs, each a coded error.
        test: { name: 'corpus', include: ['tests/corpus/**/*.corpus.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
      },
      {
        extends: true,
        // Fault injection against the built CLI, the real core and the real mock: many processes, one file at a time.
        test: { name: 'reliability', include: ['tests/reliability/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
  },
});
