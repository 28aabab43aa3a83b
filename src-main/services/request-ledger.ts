import { ledgerEntrySchema, type LedgerEntry } from '../../src/contract/ledger-entry';
import { AppError } from '../../src/contract/errors';
import type { StoredEntry } from '../storage/ledger-entry';

// The ledger itself lives in src-main/storage (SQLite); services import it from here.
export { RequestLedger, type Claim, type ClaimPlan } from '../storage/ledger-store';
export { tokenHash, type StoredEntry } from '../storage/ledger-entry';

/** Where the entry's key is decides the storage answer; another answer is refused with the reason. */
export function requireKeyStore(entry: StoredEntry, keyStore: 'file' | 'pkcs11'): void {
  if (entry.keyStore !== keyStore) throw new AppError(entry.keyStore === 'file' ? 'EXISTING_KEY_IN_FILE' : 'EXISTING_KEY_ON_TOKEN');
}

/** A token key as recorded: library, CKA_ID, modulus and label. `library` overrides the recorded one. */
export function tokenKeyOf(entry: StoredEntry, library?: string): { library: string; id: string; modulus: Buffer; label: string | undefined } {
  const key = entry.pkcs11;
  if (!key) throw new AppError('EXISTING_KEY_IN_FILE');
  return { library: library ?? key.library, id: key.keyId, modulus: Buffer.from(key.modulus, 'base64'), label: key.label };
}

export function publicView(entry: StoredEntry): LedgerEntry {
  return ledgerEntrySchema.parse(entry);
}
