import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ledgerEntrySchema } from '../../src/contract/ledger-entry';

/** What the ledger keeps beyond what the renderer sees. Never the token itself. */
export const storedEntrySchema = ledgerEntrySchema.extend({
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
  /** SHA-256 (hex) of each file the last download wrote, by path: one changed since is never replaced. */
  fileDigests: z.record(z.string(), z.string()).optional(),
  /** A download's files between "about to rename" and "recorded": a retry removes them first. */
  pendingFiles: z.array(z.string()).optional(),
});
export type StoredEntry = z.infer<typeof storedEntrySchema>;

/** The ledger.json of versions before the SQLite store. */
export const legacyLedgerFileSchema = z.object({ version: z.literal(1), entries: z.array(storedEntrySchema) });

/** `server` must already be normalised (normalizeServerUrl). */
export function tokenHash(server: string, token: string): string {
  return createHash('sha256').update(`${server}\n${token}`).digest('hex');
}
