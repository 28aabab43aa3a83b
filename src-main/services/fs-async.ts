import fs, { type RmOptions, type Stats } from 'node:fs';
import { promisify } from 'node:util';

/** The file calls of the services that read the files a person names and write results atomically. */
export interface Files {
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  mkdir(path: string, options: { mode?: number | undefined }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, target: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rm(path: string, options: RmOptions): Promise<void>;
  open(path: string, flags: string, mode?: number): Promise<number>;
  fstat(fd: number): Promise<Stats>;
  read(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  /** All of `data`, from the file descriptor's current position (or into the path). */
  writeFile(file: number | string, data: string | Uint8Array): Promise<void>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
}

/**
 * On libuv's thread pool, as promises over Node's callback API: the event loop
 * (in the app, the one that keeps the window alive) never waits on a disk.
 * Not node:fs/promises: loading it brings readline, the file watchers and the
 * REPL's history along, 1 ms of every CLI start.
 */
const onThreadPool: Files = {
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
  writeFile: promisify(fs.writeFile),
  fsync: promisify(fs.fsync),
  close: promisify(fs.close),
};

/** The same calls made on the calling thread: for a process with nothing else on its loop. */
const blocking: Files = {
  stat: async (path) => fs.statSync(path),
  lstat: async (path) => fs.lstatSync(path),
  mkdir: async (path, options) => fs.mkdirSync(path, options),
  readdir: async (path) => fs.readdirSync(path),
  readFile: async (path) => fs.readFileSync(path),
  rename: async (from, to) => fs.renameSync(from, to),
  link: async (existing, target) => fs.linkSync(existing, target),
  unlink: async (path) => fs.unlinkSync(path),
  rm: async (path, options) => fs.rmSync(path, options),
  open: async (path, flags, mode) => fs.openSync(path, flags, mode),
  fstat: async (fd) => fs.fstatSync(fd),
  read: async (fd, buffer, offset, length, position) => ({ bytesRead: fs.readSync(fd, buffer, offset, length, position) }),
  writeFile: async (file, data) => fs.writeFileSync(file, data),
  fsync: async (fd) => fs.fsyncSync(fd),
  close: async (fd) => fs.closeSync(fd),
};

/** What the services call; looked up at each call, so a test can replace one. */
export const files: Files = { ...onThreadPool };

/**
 * A CLI command's process runs that command alone, and each trip to the
 * thread pool and back cost it more than the call itself (bundle-p12: some 27
 * calls, 1.9 ms of a 47 ms start). The command line switches to blocking
 * calls for every command but `mock-ams serve`, which answers clients meanwhile.
 */
export function blockOnFiles(): void {
  Object.assign(files, blocking);
}
