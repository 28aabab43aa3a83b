import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../services/atomic-file';
import { storedEntrySchema, type StoredEntry } from './ledger-entry';

/**
 * keys/<id>.json beside each key: the entry as it was when its CSR was made
 * (no secrets: the key file is encrypted, the token never stored). Written
 * before the ledger row, it lets a ledger that was lost or damaged be rebuilt,
 * so no key is ever left without the request it belongs to.
 */
export function sidecarPath(dataDir: string, id: string): string {
  return path.join(dataDir, 'keys', `${id}.json`);
}

export async function writeSidecar(dataDir: string, entry: StoredEntry): Promise<void> {
  await writeFileAtomic(sidecarPath(dataDir, entry.id), JSON.stringify(entry, null, 2), { mode: 0o600, faultable: true });
}

/** Every readable sidecar in keys/ (not keys/discarded/). */
export async function readSidecars(dataDir: string): Promise<StoredEntry[]> {
  const dir = path.join(dataDir, 'keys');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const entries: StoredEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    try {
      const parsed = storedEntrySchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // A sidecar a kill cut short never had a ledger row either.
    }
  }
  return entries;
}
