import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import type { RequestLedger, StoredEntry } from '../../src-main/services/request-ledger';
import { storedEntry, STORED_SERVER, STORED_TOKEN } from './stored-entry';

/** Rows of a real ledger.sqlite as the ledger tests set them up and read them behind its back. */

/** A request claimed and completed through the ledger, as a send makes it. */
export async function made(l: RequestLedger, id: string, token = STORED_TOKEN): Promise<StoredEntry> {
  expect(await l.claim(STORED_SERVER, token, { id }, async () => {})).toEqual({ kind: 'claimed', id });
  await l.complete(storedEntry(id, token));
  return (await l.get(id))!;
}

/** Rewrites a row as another process (or a damaged file) left it. */
export function setRow(file: string, id: string, fields: { owner?: string | null; entry?: string; updatedAt?: string }): void {
  const db = new DatabaseSync(file);
  if ('owner' in fields) db.prepare('UPDATE requests SET owner = ? WHERE id = ?').run(fields.owner ?? null, id);
  if (fields.entry !== undefined) db.prepare('UPDATE requests SET entry = ? WHERE id = ?').run(fields.entry, id);
  if (fields.updatedAt !== undefined) db.prepare('UPDATE requests SET updated_at = ? WHERE id = ?').run(fields.updatedAt, id);
  db.close();
}

/** A row's column as stored (owner, updated_at), read with a connection of its own. */
export function rowColumn(file: string, id: string, column: 'owner' | 'updated_at'): string | null {
  const db = new DatabaseSync(file);
  const row = db.prepare(`SELECT ${column} AS value FROM requests WHERE id = ?`).get(id) as { value: string | null };
  db.close();
  return row.value;
}

export const updatedAt = (file: string, id: string): string => rowColumn(file, id, 'updated_at')!;
