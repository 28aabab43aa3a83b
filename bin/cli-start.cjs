'use strict';
// Started by lock-desktop.cjs once the Node version is known to be supported.
// The CLI is built by `npm run build` into dist/cli: one CommonJS file per command
// module, chosen by route.cjs, and cli.cjs for --help and mistakes.
// Node's compile cache keeps the compiled code between runs, in the user's own folder or not at all.
const cacheDir = compileCacheDir();
if (cacheDir && madeFolder(cacheDir)) require('node:module').enableCompileCache(cacheDir);
const argv = process.argv.slice(2);
built(built('route').moduleFor(argv) || 'cli')
  .runCli(argv)
  .then(function (code) {
    process.exit(code);
  });

/** One file of the built CLI, or one line saying how to build it (a fresh clone before `npm run build`, a build cut short). */
function built(name) {
  const file = require('node:path').join(__dirname, '..', 'dist', 'cli', name + '.cjs');
  if (require('node:fs').existsSync(file)) return require(file);
  process.stderr.write(
    'NOT_BUILT: CLI belum dibangun; jalankan `npm run build` sekali di folder proyek. / The CLI is not built yet; run `npm run build` once in the project folder.\n'
  );
  process.exit(1);
}

/**
 * The user's own cache folder, never Node's default in the shared temporary
 * folder: Node runs a cache entry whose header matches the source file, so an
 * entry another local user planted in /tmp/node-compile-cache is code we would
 * run. No cache when the home folder is not an absolute path (HOME='' or
 * relative would put it under the working folder, which may be /tmp).
 */
function compileCacheDir() {
  const path = require('node:path');
  const absolute = (dir) => (dir && path.isAbsolute(dir) ? dir : undefined);
  const home = absolute(require('node:os').homedir());
  if (process.platform === 'win32') {
    const local = absolute(process.env.LOCALAPPDATA) ?? (home && path.join(home, 'AppData', 'Local'));
    return local && path.join(local, 'LOCK Desktop', 'compile-cache');
  }
  if (process.platform === 'darwin') return home && path.join(home, 'Library', 'Caches', 'LOCK Desktop', 'compile-cache');
  const cache = absolute(process.env.XDG_CACHE_HOME) ?? (home && path.join(home, '.cache'));
  return cache && path.join(cache, 'lock-desktop', 'compile-cache');
}

/**
 * The cache folder, each missing part made once; false when one cannot be. Node's recursive mkdir
 * (and enableCompileCache's own) loops for ever where mkdir answers ENOENT under a folder that
 * exists (HOME=/proc, some FUSE mounts): `--help` spun a core for 38 minutes.
 */
function madeFolder(dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const missing = [];
  for (let at = dir; !fs.existsSync(at); at = path.dirname(at)) {
    if (path.dirname(at) === at) return false;
    missing.unshift(at);
  }
  try {
    for (const at of missing) fs.mkdirSync(at, { mode: 0o700 });
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
