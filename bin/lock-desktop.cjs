#!/usr/bin/env node
'use strict';
// node:sqlite (the request ledger) needs no flag from Node 22.13 and 23.4: older Nodes get a line, not a stack.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13) || (major === 23 && minor < 4)) {
  const v = process.versions.node;
  process.stderr.write(`UNSUPPORTED_NODE: lock-desktop memerlukan Node.js 22.13 atau lebih baru; ini Node.js ${v}. / lock-desktop needs Node.js 22.13 or newer; this is Node.js ${v}.\n`);
  process.exit(1);
}
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
