import fs from 'node:fs';
import { promisify } from 'node:util';

/**
 * The file calls of the services a CLI command runs on its way (reading the
 * files it is given, writing its result atomically), as promises over Node's
 * callback API: a file descriptor where node:fs/promises would give a
 * FileHandle. Loading node:fs/promises brings readline, the file watchers and
 * the REPL's history with it, 1 ms of every CLI start (bundle-p12 measured).
 */
export const files = {
  stat: promisify(fs.stat),
  lstat: promisify(fs.lstat),
  mkdir: promisify(fs.mkdir),
  readdir: promisify(fs.readdir),
  readFile: promisify(fs.readFile),
  rename: promisify(fs.rename),
  link: promisify(fs.link),
  unlink: promisify(fs.unlink),
  rm: promisify(fs.rm),
  open: promisify(fs.open),
  fstat: promisify(fs.fstat),
  read: promisify(fs.read),
  /** All of `data` to the file descriptor (or path), from its current position. */
  writeFile: promisify(fs.writeFile),
  fsync: promisify(fs.fsync),
  close: promisify(fs.close),
};
