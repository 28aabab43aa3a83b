import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ledgerEntrySchema, type LedgerEntry } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { writeFileAtomic } from './atomic-file';

/** What the ledger keeps beyond what the renderer sees. Never the token itself. */
const storedEntrySchema = ledgerEntrySchema.extend({
  /** SHA-256 of server + token: finds the entry again without storing the token. */
  tokenHash: z.string(),
  /** File keys: the encrypted PKCS#8 file. */
  keyPath: z.string().optional(),
  /** Token keys: how to find the key again on whichever slot the token sits in. */
  pkcs11: z.object({ library: z.string(), keyId: z.string(), modulus: z.string(), label: z.string().optional() }).optional(),
  csrPem: z.string(),
  /** After download: the certificate and its CA chain, for .p12 bundles later. */
  certificatePem: z.string().optional(),
  chainPem: z.array(z.string()).optional(),
});
export type StoredEntry = z.infer<typeof storedEntrySchema>;

const ledgerFileSchema = z.object({ version: z.literal(1), entries: z.array(storedEntrySchema) });

export function tokenHash(server: string, token: string): string {
  return createHash('sha256').update(`${server}\n${token}`).digest('hex');
}

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

/**
 * The durable record of this computer's requests (ledger.json in the data
 * folder). Every change is written atomically and in order before the caller
 * takes the next irreversible step.
 */
export class RequestLedger {
  private entries: StoredEntry[] | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  static inDataDir(dataDir: string): RequestLedger {
    return new RequestLedger(path.join(dataDir, 'ledger.json'));
  }

  async list(): Promise<StoredEntry[]> {
    return [...(await this.load())];
  }

  async findByToken(server: string, token: string): Promise<StoredEntry | undefined> {
    const hash = tokenHash(server, token);
    return (await this.load()).find((entry) => entry.tokenHash === hash);
  }

  async get(id: string): Promise<StoredEntry | undefined> {
    return (await this.load()).find((entry) => entry.id === id);
  }

  /** Adds or replaces the entry with the same id, then waits until it is on disk. */
  async put(entry: StoredEntry): Promise<void> {
    const entries = await this.load();
    const index = entries.findIndex((e) => e.id === entry.id);
    if (index === -1) entries.push(entry);
    else entries[index] = entry;
    const snapshot = JSON.stringify({ version: 1, entries }, null, 2);
    const write = this.writes.then(() => writeFileAtomic(this.file, snapshot, { mode: 0o600 }));
    this.writes = write.catch(() => undefined);
    await write;
  }

  private async load(): Promise<StoredEntry[]> {
    if (this.entries) return this.entries;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return (this.entries = []);
      throw new AppError('FILE_READ_FAILED', { detail: this.file, cause });
    }
    const parsed = ledgerFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new AppError('FILE_READ_FAILED', { detail: `${this.file}: ${parsed.error.issues[0]?.message}`, expected: false });
    return (this.entries = parsed.data.entries);
  }
}
