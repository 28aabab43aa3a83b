'use strict';
// Started by lock-desktop.cjs once the Node version is known to be supported.
// The CLI is built by `npm run build` into dist/cli: one CommonJS file per command
// module, chosen by route.cjs, and cli.cjs for --help and mistakes.
const fs = require('node:fs');
const path = require('node:path');
const DIST = path.join(__dirname, '..', 'dist', 'cli');

const argv = process.argv.slice(2);
if (!fs.existsSync(path.join(DIST, 'route.cjs'))) notBuilt();
const command = load(require(path.join(DIST, 'route.cjs')).moduleFor(argv) || 'cli');
command.exports.runCli(argv).then(function (code) {
  if (code === 0) command.keepCompiledCode();
  process.exit(code);
});

/**
 * One file of the built CLI, run with the code V8 compiled for it in an earlier
 * successful run. That cache is made after the run, so it holds every function
 * the command needed; Node's own compile cache is made before a file runs and
 * holds little more than its top level (bundle-p12: 3 ms more per start).
 */
function load(name) {
  const file = path.join(DIST, name + '.cjs');
  let source;
  let changed;
  try {
    // The source and its time of change from one descriptor: a rebuild between two reads cannot pair them wrongly.
    const fd = fs.openSync(file, 'r');
    try {
      changed = Math.trunc(fs.fstatSync(fd).mtimeMs);
      // The build keeps these files ASCII: latin1 reads them without decoding UTF-8.
      source = fs.readFileSync(fd, 'latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    notBuilt();
  }
  const entry = cacheEntry(name, changed);
  const cachedData = entry && readEntry(entry);
  const vm = require('node:vm');
  // The file is one function expression (see scripts/build.mjs): (exports, require, module, __filename, __dirname).
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // Kept entries go by last use (writeEntry): this one was used.
  if (cachedData && !script.cachedDataRejected) touch(entry.file);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, DIST);
  return {
    exports: module.exports,
    keepCompiledCode() {
      if (entry && (!cachedData || script.cachedDataRejected)) writeEntry(entry, () => script.createCachedData());
    },
  };
}

function notBuilt() {
  process.stderr.write(
    'NOT_BUILT: CLI belum dibangun; jalankan `npm run build` sekali di folder proyek. / The CLI is not built yet; run `npm run build` once in the project folder.\n'
  );
  process.exit(1);
}

/**
 * Where the compiled code of this build of a command file is kept: named by the
 * file's SHA-256 (dist/cli/digests.json, written by the build), its time of
 * change (a file edited after the build) and the Node version, as V8 checks
 * only the source's length. None without the digest or a cache folder of the
 * user's own.
 */
function cacheEntry(name, changed) {
  let digest;
  try {
    digest = JSON.parse(fs.readFileSync(path.join(DIST, 'digests.json'), 'utf8'))[name];
  } catch {
    return undefined;
  }
  const dir = typeof digest === 'string' && /^[0-9a-f]{64}$/.test(digest) ? cacheDir() : undefined;
  return dir && { dir, name, file: path.join(dir, [name, digest.slice(0, 32), changed, process.version, process.arch].join('-') + '.v8') };
}

/**
 * An entry is the SHA-256 of V8's data, then the data. V8 checks nothing but
 * lengths and versions in release builds and aborts the process on damaged
 * data: a torn or altered entry must never reach it. Nor one planted by
 * someone else (a folder of theirs swapped in above ours): the file itself,
 * not a link, must be the user's own, and no one else's to write.
 */
function readEntry(entry) {
  let bytes;
  let fd;
  try {
    fd = fs.openSync(entry.file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || !ownedAlone(stat)) return undefined;
    bytes = fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const data = bytes.subarray(32);
  return bytes.length > 32 && require('node:crypto').hash('sha256', data, 'buffer').equals(bytes.subarray(0, 32)) ? data : undefined;
}

/** The user's, and not writable by anyone else (Windows: the folder under %LOCALAPPDATA% is the user's). */
function ownedAlone(stat) {
  return process.platform === 'win32' || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
}

function touch(file) {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // Only the order in which old entries go.
  }
}

/**
 * Written whole under a temporary name, then renamed. Best effort: the cache
 * only saves time. The command's entries for two other builds stay (a global
 * install used beside a working copy would otherwise replace each other's on
 * every run); older ones go, with temporaries left by killed runs and the
 * folders of Node's compile cache, which earlier versions kept here.
 */
function writeEntry(entry, compiled) {
  const own = path.basename(entry.file);
  const temp = path.join(entry.dir, '.' + own + '.' + process.pid + '.tmp');
  try {
    const data = compiled();
    fs.writeFileSync(temp, Buffer.concat([require('node:crypto').hash('sha256', data, 'buffer'), data]), { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, entry.file);
    // Only in the folder checked at the start, if it is still that one (not a link put in its place).
    if (!fs.lstatSync(entry.dir).isDirectory()) return;
    const names = fs.readdirSync(entry.dir);
    const ours = new RegExp('^\\.?' + entry.name + '-[0-9a-f]{32}-\\d+-v\\d+\\.\\d+\\.\\d+-\\w+\\.v8');
    const builds = names
      .filter((name) => ours.test(name) && name.endsWith('.v8') && name !== own)
      .map((name) => ({ name, time: fs.statSync(path.join(entry.dir, name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
    const stale = builds.slice(2).map((b) => b.name);
    for (const name of names) if ((ours.test(name) && name.endsWith('.tmp')) || /^v\d+\.\d+\.\d+-\w+-[0-9a-f]{8}-\d+$/.test(name)) stale.push(name);
    for (const name of stale) fs.rmSync(path.join(entry.dir, name), { recursive: true, force: true });
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * The user's own cache folder, never a shared one: code kept there is code we
 * run. No cache when the home folder is not an absolute path (HOME='' or
 * relative would put it under the working folder, which may be /tmp), or when
 * the folder belongs to someone else or others may write in it.
 */
function cacheDir() {
  const absolute = (dir) => (dir && path.isAbsolute(dir) ? dir : undefined);
  // os.homedir() answers $HOME when it is set (and loading node:os costs a start 0.2 ms); Windows asks the system.
  const home = absolute((process.platform !== 'win32' && process.env.HOME) || require('node:os').homedir());
  let dir;
  if (process.platform === 'win32') {
    const local = absolute(process.env.LOCALAPPDATA) ?? (home && path.join(home, 'AppData', 'Local'));
    dir = local && path.join(local, 'LOCK Desktop', 'compile-cache');
  } else if (process.platform === 'darwin') {
    dir = home && path.join(home, 'Library', 'Caches', 'LOCK Desktop', 'compile-cache');
  } else {
    const cache = absolute(process.env.XDG_CACHE_HOME) ?? (home && path.join(home, '.cache'));
    dir = cache && path.join(cache, 'lock-desktop', 'compile-cache');
  }
  return dir && ownFolder(dir) ? dir : undefined;
}

/**
 * The cache folder, each missing part made once; false when one cannot be, or
 * when it is not the user's alone. Node's recursive mkdir loops for ever where
 * mkdir answers ENOENT under a folder that exists (HOME=/proc, some FUSE
 * mounts): `--help` spun a core for 38 minutes.
 */
function ownFolder(dir) {
  const missing = [];
  for (let at = dir; !fs.existsSync(at); at = path.dirname(at)) {
    if (path.dirname(at) === at) return false;
    missing.unshift(at);
  }
  try {
    for (const at of missing) fs.mkdirSync(at, { mode: 0o700 });
    const stat = fs.statSync(dir);
    return stat.isDirectory() && ownedAlone(stat);
  } catch {
    return false;
  }
}
