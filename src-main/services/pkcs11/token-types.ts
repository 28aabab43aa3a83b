/** What the token driver hands out and takes in, shared with the worker's callers. */

/** A token as the picker shows it, with what the PIN dialog must know. */
export interface TokenDescriptor {
  serial: string;
  label: string;
  manufacturer: string;
  model: string;
  slotDescription: string;
  loginRequired: boolean;
  protectedAuthPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
  pinToBeChanged: boolean;
  writeProtected: boolean;
  /** RSA sizes this token can generate, from its mechanism info. */
  rsaKeySizes: number[];
}

export interface LoginOptions {
  serial: string;
  /** Absent on a PIN-pad token: the token asks for it. */
  pin?: string;
  /** The user agreed to spend the token's last PIN attempt. */
  confirmFinalTry?: boolean;
  /** Set when the token demands a new PIN (CKF_USER_PIN_TO_BE_CHANGED). */
  newPin?: string;
}

export interface GeneratedKey {
  /** CKA_ID, hex: SHA-1 of the modulus where the token let us set it. */
  id: string;
  modulus: Buffer;
  exponent: Buffer;
  template: 'full' | 'minimal';
}

export interface CertificateObject {
  id: string;
  label: string;
  der: Buffer;
  subject: Buffer;
  issuer: Buffer;
  serialNumber: Buffer;
  /** `authority`: a CA certificate of the chain (category authority, not trusted). Default: the holder's own. */
  category?: 'user' | 'authority';
}

/** A certificate object found on a token. */
export interface StoredCertificate {
  id: string;
  label: string;
  der: Buffer;
}
