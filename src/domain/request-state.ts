/**
 * Status of a LOCK request as AMS reports it. `csr_uploaded` is the portal's
 * "Sudah Upload".
 */
export const amsRequestStatuses = ['awaiting_csr', 'csr_uploaded', 'submitted', 'issued', 'rejected', 'enroll_failed', 'revoked'] as const;
export type AmsRequestStatus = (typeof amsRequestStatuses)[number];

/**
 * Where this computer's copy of a request stands. Each state is written to the
 * ledger before the step that leaves it, so a crash never loses a key or burns a token.
 */
export const ledgerStates = ['csr_ready', 'csr_sent', 'downloaded'] as const;
export type LedgerState = (typeof ledgerStates)[number];

/** The portal's certificate statuses (Daftar Sertifikat Elektronik). */
export const certificateStatuses = ['Issued', 'Renew', 'Revoke', 'Expired'] as const;
export type CertificateStatus = (typeof certificateStatuses)[number];

/** Request types in Status Permohonan. */
export const requestTypes = ['issue', 'renew', 'revoke'] as const;
export type RequestType = (typeof requestTypes)[number];
