import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/contract/errors';
import { beforeWrite, pausePoint } from '../storage/write-faults';
import { makeWritableFolder, syncDir, tempPathFor, writeFileAtomic, writeTemp } from './atomic-file';
import { files as fs } from './fs-async';

export const OUTPUT_FOLDER_NAME = 'LOCK Desktop';

/** A visible folder in the user's documents, unless the user chose another. */
export function defaultOutputDir(documents = path.join(os.homedir(), 'Documents')): string {
  return path.join(documents, OUTPUT_FOLDER_NAME);
}

/** "MAMAN_4B779A9120EA": the common name made safe for every file system, and the serial. */
export function certificateFileBase(commonName: string, serialNumber: string): string {
  const name = commonName
    .normalize('NFC')
    // Characters Windows forbids in names, and control characters.
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\x00-\x1f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '')
    .slice(0, 64);
  return `${name || 'sertifikat'}_${serialNumber.toUpperCase().slice(0, 16)}`;
}

/**
 * Writes a new file in `dir` named `base` + `ext`, or "base (2)" and so on when
 * that exists: an existing file is never replaced. Atomic: a failure leaves no
 * partial file. Returns the path written.
 */
export async function writeNewFile(dir: string, base: string, ext: string, data: string | Uint8Array, mode = 0o644): Promise<string> {
  await makeWritableFolder(dir);
  for (let n = 1; n <= 100; n++) {
    const target = path.join(dir, n === 1 ? `${base}${ext}` : `${base} (${n})${ext}`);
    try {
      await writeFileAtomic(target, data, { mode, exclusive: true });
      return target;
    } catch (error) {
      const code = ((error as AppError).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== 'EEXIST') throw error;
    }
  }
  throw new AppError('FILE_WRITE_FAILED', { detail: `${base}${ext}: too many files with this name` });
}

export interface NewFile {
  ext: string;
  data: string | Uint8Array;
  mode?: number;
}

const exists = (file: string) => fs.lstat(file).then(() => true, () => false);

/**
 * Writes a set of files that belong together (a certificate's .pem and .p12)
 * all or nothing: each to a temp name, flushed, then `planned` is told the
 * final names (the ledger records them, so a killed attempt's files are known
 * for what they are), then each is linked to its name — never replacing an
 * existing file; the set moves to "base (2)" when any name is taken. A failure
 * removes every file this attempt wrote and says which write failed.
 * `replaceable`: files of the same certificate written before (a second download);
 * when every taken name is one of them, the set keeps its names and each is
 * replaced by an atomic rename. Anything else is never replaced.
 */
export async function writeNewFiles(
  dir: string,
  base: string,
  files: NewFile[],
  planned: (paths: string[]) => Promise<void> = async () => {},
  replaceable: readonly string[] = [],
): Promise<string[]> {
  await makeWritableFolder(dir);
  for (let n = 1; n <= 100; n++) {
    const targets = files.map((f) => path.join(dir, n === 1 ? `${base}${f.ext}` : `${base} (${n})${f.ext}`));
    const taken = await Promise.all(targets.map(exists));
    if (taken.some((isTaken, i) => isTaken && !replaceable.includes(targets[i]!))) continue;
    const temps: string[] = [];
    const linked: string[] = [];
    let current = dir;
    try {
      for (const [i, file] of files.entries()) {
        current = targets[i]!;
        temps.push(tempPathFor(current));
        await writeTemp(temps[i]!, file.data, file.mode ?? 0o644, true);
      }
      await planned(targets);
      for (const [i, target] of targets.entries()) {
        current = target;
        beforeWrite(target);
        if (taken[i]) {
          // The same certificate's own earlier file: replaced in one step, never half-written.
          await fs.rename(temps[i]!, target);
        } else {
          await fs.link(temps[i]!, target);
          linked.push(target);
        }
        if (i === 0 && targets.length > 1) await pausePoint('download:first-linked');
      }
      await syncDir(dir);
      await Promise.all(temps.map((t) => fs.rm(t, { force: true })));
      return targets;
    } catch (cause) {
      await Promise.all([...linked, ...temps].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') continue;
      if (cause instanceof AppError) throw cause;
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw new AppError('FILE_WRITE_FAILED', { detail: `${code} writing ${path.basename(current)}; none of ${targets.map((t) => path.basename(t)).join(', ')} was kept`, cause });
    }
  }
  throw new AppError('FILE_WRITE_FAILED', { detail: `${base}: too many files with this name` });
}

/** Reads a file the user named, refusing folders and anything over `limit` bytes. */
export async function readUserFile(file: string, limit = 1024 * 1024): Promise<Buffer> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > limit) throw new Error(`larger than ${limit} bytes`);
    return await fs.readFile(file);
  } catch (cause) {
    throw new AppError('FILE_READ_FAILED', { detail: `${file}: ${(cause as Error).message}`, cause });
  }
}
