import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/contract/errors';
import { beforeWrite } from '../storage/write-faults';
import { files as fs } from './fs-async';

export interface AtomicWriteOptions {
  /** File mode of the result, e.g. 0o600 for keys. */
  mode?: number;
  /** Refuse to replace a file that already exists. */
  exclusive?: boolean;
  /** The app's own files (not the mock's): these writes pass the write-fault seam. */
  faultable?: boolean;
}

// ".name.<pid>-<random>.tmp": the pid tells a killed writer's leftovers from a live one's.
const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;
const OLD_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

export function tempPathFor(target: string): string {
  const suffix = `.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  // A name may have 255 bytes: the temp name's ~30 more must not make a legal target name fail.
  return path.join(path.dirname(target), `.${wholeCharacters(path.basename(target), MAX_NAME_BYTES - 1 - Buffer.byteLength(suffix))}${suffix}`);
}

const MAX_NAME_BYTES = 255;

/** The longest start of `name` that fits `bytes` in UTF-8, never cutting a character. */
function wholeCharacters(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let used = 0;
  let end = 0;
  for (const char of name) {
    used += Buffer.byteLength(char);
    if (used > bytes) break;
    end += char.length;
  }
  return name.slice(0, end);
}

/** Flushes a folder's entries after a rename or link; a no-op where folders cannot be opened (Windows). */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = await fs.open(dir, 'r');
    await fs.fsync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EACCES') throw error;
  } finally {
    if (fd !== undefined) await fs.close(fd);
  }
}

/** `mkdir -p`, except that a file standing where a folder must be is ENOTDIR ("not a folder"), not EEXIST ("the target exists"). */
export async function makeFolder(dir: string, mode?: number): Promise<void> {
  // Each missing folder made once, from the top: Node's recursive mkdir loops for ever (a core busy)
  // where mkdir answers ENOENT under a folder that exists — /proc, some FUSE and network file systems.
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const found = await fs.stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    if (found && !found.isDirectory()) throw notAFolder(at);
    if (found || path.dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      await fs.mkdir(at, { mode });
    } catch (error) {
      // Made meanwhile by another process: as wanted, if it is a folder.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await fs.stat(at)).isDirectory()) throw notAFolder(at);
    }
  }
}

const notAFolder = (at: string) => Object.assign(new Error(`not a folder: ${at}`), { code: 'ENOTDIR' });

/** makeFolder for a folder the user is told about: a failure is FILE_WRITE_FAILED naming the folder and why. */
export async function makeWritableFolder(dir: string, mode?: number): Promise<void> {
  await makeFolder(dir, mode).catch((cause: unknown) => {
    throw writeFailure(cause, dir);
  });
}

/** Writes and flushes a new temp file; the caller renames or links it. */
export async function writeTemp(temp: string, data: string | Uint8Array, mode: number, faultable: boolean): Promise<void> {
  if (faultable) beforeWrite(temp);
  const fd = await fs.open(temp, 'wx', mode);
  try {
    await fs.writeFile(fd, data);
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
}

/**
 * Writes `data` so that `target` either holds all of it or is untouched: a temp
 * file beside it is written, flushed and then renamed (or hard-linked, when the
 * target must not be replaced), and the folder is flushed. A failure removes
 * the temp file.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  const temp = tempPathFor(target);
  const mode = options.mode ?? 0o644;
  try {
    await makeFolder(dir, 0o700);
    await writeTemp(temp, data, mode, options.faultable ?? false);
    if (options.exclusive) {
      // link() fails with EEXIST instead of replacing, atomically.
      await fs.link(temp, target);
      await fs.unlink(temp);
    } else {
      await fs.rename(temp, target);
    }
    await syncDir(dir);
  } catch (cause) {
    // The temp file may never have been made (its folder could not be: ENOTDIR, EACCES); the cleanup must not hide why.
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeFailure(cause, target);
  }
}

/** The system's error code of a failed call (ENOENT, EACCES, EADDRINUSE…); undefined for a library's own codes. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** A failed write of `target` as the user is told it: FILE_WRITE_FAILED with the system's reason (ENOSPC, EACCES…) and the path. */
export const writeFailure = (cause: unknown, target: string): AppError => fileFailure('FILE_WRITE_FAILED', cause, target);

/** A failed file operation as the user is told it: the system's code (ENOENT, EACCES…), then the path. */
export function fileFailure(code: 'FILE_READ_FAILED' | 'FILE_WRITE_FAILED', cause: unknown, file: string): AppError {
  const errno = (cause as NodeJS.ErrnoException).code;
  return new AppError(code, { detail: errno ? `${errno}: ${file}` : file, cause });
}

/**
 * Whether process `pid` is still running (EPERM: it is, under another user). A killed
 * process its parent has not reaped yet (a zombie, Linux) has ended: its files are stale.
 */
export function processRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !zombie(pid);
}

/** Linux's /proc/<pid>/stat: "<pid> (<name>) <state> …"; state Z is a zombie. Elsewhere: not known, so no. */
function zombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return false;
  }
}

/**
 * Removes temp files a killed write left in `dir`: those whose writer is no
 * longer running, and old-style ones (no pid) older than an hour. Returns the
 * names removed. A folder that does not exist has nothing to clean.
 */
export async function cleanStaleTemps(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    let stale = match !== null && !processRunning(Number(match[1]));
    if (!match && OLD_TEMP_NAME.test(name)) {
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      stale = stat !== undefined && now - stat.mtimeMs > 3_600_000;
    }
    if (stale) {
      await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}
