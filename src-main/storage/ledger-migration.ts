import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { legacyLedgerFileSchema } from './ledger-entry';
import { moveAside } from './damaged-file';

/**
 * Moves the entries of a ledger.json (the store before SQLite) into the
 * database once, then renames the file to ledger.backup.json and keeps it. A
 * ledger.json that does not parse is set aside as ledger.damaged-<time>.json.
 * Two processes starting together migrate once: the meta row is checked inside
 * the transaction.
 */
export async function migrateLegacyLedger(
  db: DatabaseSync,
  dataDir: string,
  transaction: (work: () => void) => Promise<void>,
): Promise<{ damaged?: string }> {
  const legacy = path.join(dataDir, 'ledger.json');
  let text: string;
  try {
    text = await fs.readFile(legacy, 'utf8');
  } catch {
    return {};
  }
  let entries;
  try {
    entries = legacyLedgerFileSchema.parse(JSON.parse(text)).entries;
  } catch {
    return { damaged: await moveAside(legacy) };
  }
  await transaction(() => {
    if (db.prepare("SELECT value FROM meta WHERE key = 'legacy-ledger-migrated'").get()) return;
    const insert = db.prepare('INSERT OR IGNORE INTO requests (id, token_hash, state, owner, entry, updated_at) VALUES (?, ?, ?, NULL, ?, ?)');
    for (const entry of entries) insert.run(entry.id, entry.tokenHash, entry.state, JSON.stringify(entry), entry.updatedAt);
    db.prepare("INSERT INTO meta (key, value) VALUES ('legacy-ledger-migrated', ?)").run(new Date().toISOString());
  });
  await fs.rename(legacy, await freeName(path.join(dataDir, 'ledger.backup.json'))).catch(() => undefined);
  return {};
}

async function freeName(file: string): Promise<string> {
  try {
    await fs.access(file);
    return file.replace(/\.json$/, `-${Date.now()}.json`);
  } catch {
    return file;
  }
}
