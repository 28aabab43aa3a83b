#!/usr/bin/env node
'use strict';
// The CLI is built by `npm run build` into dist/cli (ES modules, one chunk per command).
// Node's compile cache keeps the compiled code between runs (Node >= 22.1; a no-op before).
require('node:module').enableCompileCache?.(compileCacheDir());
import('../dist/cli/cli.mjs')
  .then(({ runCli }) => runCli(process.argv.slice(2)))
  .then((code) => process.exit(code));

/**
 * The user's own cache folder, never Node's default in the shared temporary
 * folder: Node runs a cache entry whose header matches the source file, so an
 * entry another local user planted in /tmp/node-compile-cache is code we would run.
 */
function compileCacheDir() {
  const path = require('node:path');
  const home = require('node:os').homedir();
  const absolute = (dir) => (dir && path.isAbsolute(dir) ? dir : undefined);
  if (process.platform === 'win32') return path.join(absolute(process.env.LOCALAPPDATA) ?? path.join(home, 'AppData', 'Local'), 'LOCK Desktop', 'compile-cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'LOCK Desktop', 'compile-cache');
  return path.join(absolute(process.env.XDG_CACHE_HOME) ?? path.join(home, '.cache'), 'lock-desktop', 'compile-cache');
}
