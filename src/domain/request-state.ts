/**
 * Status of a LOCK request as AMS reports it. `csr_uploaded` is the portal's
 * "Sudah Upload".
 */
export const amsRequestStatuses = ['awaiting_csr', 'csr_uploaded', 'submitted', 'issued', 'rejected', 'enroll_failed'] as const;
export type AmsRequestStatus = (typeof amsRequestStatuses)[number];

/**
 * Where this computer's copy of a request stands. Each state is written to the
 * ledger before the step that leaves it, so a crash never loses a key or burns a token.
 */
export const ledgerStates = ['csr_ready', 'csr_sent', 'downloaded'] as const;
export type LedgerState = (typeof ledgerStates)[number];
