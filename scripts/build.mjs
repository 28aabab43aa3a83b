// Builds everything `npm start`, the CLI, the tests and the bench need into dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native addons load from node_modules; electron is provided by the runtime.
  external: ['electron', 'pkcs11js', 'keytar'],
  // native-require.ts reads import.meta only outside CommonJS.
  logOverride: { 'empty-import-meta': 'silent' },
};

await Promise.all([
  build({ ...node, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/main/main.cjs' }),
  // Sandboxed preload: one CommonJS file, no chunks, only `electron` left to require.
  build({ ...node, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/preload/preload.cjs', target: 'chrome130', sourcemap: false }),
  build({ ...node, entryPoints: ['src-main/cli/main.ts'], outfile: 'dist/cli/cli.cjs' }),
  build({ ...node, entryPoints: ['src-main/services/pkcs11/pkcs11-worker.ts'], outfile: 'dist/worker/pkcs11-worker.cjs' }),
  build({ ...node, entryPoints: ['src-main/test-host/main.ts'], outfile: 'dist/test-host/test-host.cjs' }),
  build({
    entryPoints: ['src-main/test-host/bridge.ts'],
    outfile: 'dist/test-host/bridge.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome130',
    logLevel: 'warning',
  }),
  build({ ...node, entryPoints: ['scripts/bench/bench.ts'], outfile: 'dist/bench/bench.cjs' }),
]);
console.log('built dist/');
