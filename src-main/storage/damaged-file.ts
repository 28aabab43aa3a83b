import { promises as fs } from 'node:fs';
import path from 'node:path';
import { syncDir } from '../services/atomic-file';

/**
 * Sets a file that does not parse aside as `<name>.damaged-<time><ext>` beside
 * it, kept for support, and returns the new path (the old one when the move
 * failed: then the file is left where it is).
 */
export async function moveAside(file: string, now = new Date()): Promise<string> {
  const ext = path.extname(file);
  const aside = path.join(path.dirname(file), `${path.basename(file, ext)}.damaged-${now.toISOString().replace(/[:.]/g, '-')}${ext}`);
  try {
    await fs.rename(file, aside);
    await syncDir(path.dirname(file));
    return aside;
  } catch {
    return file;
  }
}
