import * as z from 'zod';
import { employeeSchema } from '../domain/employee';
import { amsRequestStatuses, certificateStatuses, ledgerStates } from '../domain/request-state';
import { errorCodes } from './errors';

// The ledger's entry on its own, so the local store (and the CLI commands that only read it) need
// not build every channel's schema of the contract at start-up.

export const requestStatus = z.enum(amsRequestStatuses);

export const ledgerEntrySchema = z.object({
  id: z.string(),
  requestId: z.string(),
  product: z.string(),
  server: z.string(),
  employee: employeeSchema,
  keyStore: z.enum(['file', 'pkcs11']),
  /** For token keys: the token that holds the key, as it was when the key was made. */
  token: z.object({ serial: z.string(), label: z.string() }).optional(),
  state: z.enum(ledgerStates),
  amsStatus: requestStatus.optional(),
  /** The verifier's note (Catatan Verifikasi). */
  note: z.string().optional(),
  /** The AMS token for this request is kept on this computer (keychain or session). */
  tokenKnown: z.boolean().optional(),
  /** The issued certificate; `status` is the portal's (Issued, Renew, Revoke, Expired) when AMS says. */
  certificate: z.object({ serialNumber: z.string(), notAfter: z.iso.datetime(), status: z.enum(certificateStatuses).optional() }).optional(),
  files: z.object({ pem: z.string().optional(), p12: z.string().optional() }).optional(),
  /** The last status refresh could not reach AMS: what is shown is the last known status. */
  refreshError: z.object({ code: z.enum(errorCodes), detail: z.string().optional() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
