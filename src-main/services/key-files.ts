import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeFolder, syncDir } from './atomic-file';

/**
 * Moves a key file the ledger no longer lists (a discarded request, or a claim
 * whose process died before its CSR existed) to keys/discarded/, never deleting
 * it: a user who remembers the password later still has it. Returns the new
 * path, or undefined when there was no file.
 */
export async function setKeyAside(dataDir: string, keyPath: string): Promise<string | undefined> {
  const dir = path.join(dataDir, 'keys', 'discarded');
  const target = path.join(dir, path.basename(keyPath));
  try {
    await makeFolder(dir, 0o700);
    await fs.rename(keyPath, target);
    await syncDir(dir);
    await syncDir(path.dirname(keyPath));
    return target;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
