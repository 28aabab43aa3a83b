import { afterEach, beforeEach } from 'vitest';
import { RequestLedger, tokenHash, type StoredEntry } from '../../src-main/services/request-ledger';
import { tempDir } from './tools';

export const STORED_SERVER = 'http://127.0.0.1:47315';
export const STORED_TOKEN = 'A'.repeat(40);

/** A ledger row as the store keeps it (a file key, CSR made, not sent), for store tests. */
export function storedEntry(id: string, token = STORED_TOKEN, server = STORED_SERVER): StoredEntry {
  const stamp = new Date('2026-01-01T00:00:00Z').toISOString();
  return {
    id,
    requestId: `req-${id}`,
    product: 'Sertifikat Elektronik',
    server,
    employee: { name: 'MAMAN', email: 'm@x.id', unit: 'U', organization: 'O', locality: 'L', province: 'P', country: 'ID' },
    keyStore: 'file',
    keyPath: `/keys/${id}.pem`,
    state: 'csr_ready',
    createdAt: stamp,
    updatedAt: stamp,
    tokenHash: tokenHash(server, token),
    csrPem: '-----BEGIN CERTIFICATE REQUEST-----',
  } as StoredEntry;
}

/**
 * A fresh data folder for each test of the calling suite, and a ledger factory (on that folder unless told
 * otherwise) whose ledgers are closed after the test: `store.dir`, `store.ledger()`.
 */
export function ledgersPerTest(prefix: string): { readonly dir: string; ledger(dataDir?: string, options?: ConstructorParameters<typeof RequestLedger>[1]): RequestLedger } {
  let dir = '';
  let cleanup = async () => {};
  const open: RequestLedger[] = [];
  beforeEach(async () => ({ dir, cleanup } = await tempDir(prefix)));
  afterEach(async () => {
    open.splice(0).forEach((l) => l.close());
    await cleanup();
  });
  return {
    get dir() {
      return dir;
    },
    ledger(dataDir = dir, options = {}) {
      const l = new RequestLedger(dataDir, options);
      open.push(l);
      return l;
    },
  };
}
