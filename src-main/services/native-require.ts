import { createRequire } from 'node:module';

/**
 * `require` for native addons (keytar, pkcs11js): the bundle's own in the
 * CommonJS builds, which finds them inside an asar and through NODE_PATH, and
 * Node's from ESM in the test runner.
 */
export const nativeRequire: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);
