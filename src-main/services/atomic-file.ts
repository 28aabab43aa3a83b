import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/contract/errors';

export interface AtomicWriteOptions {
  /** File mode of the result, e.g. 0o600 for keys. */
  mode?: number;
  /** Refuse to replace a file that already exists. */
  exclusive?: boolean;
}

/**
 * Writes `data` so that `target` either holds all of it or is untouched: a temp
 * file beside it is written, flushed and then renamed (or hard-linked, when the
 * target must not be replaced). A failure removes the temp file.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = options.mode ?? 0o644;
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      // link() fails with EEXIST instead of replacing, atomically.
      await fs.link(temp, target);
      await fs.unlink(temp);
    } else {
      await fs.rename(temp, target);
    }
  } catch (cause) {
    await fs.rm(temp, { force: true });
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AppError('FILE_WRITE_FAILED', { detail: code ? `${code}: ${target}` : target, cause });
  }
}
