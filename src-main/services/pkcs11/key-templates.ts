import { CKA, CKK_RSA, CKO } from './constants';
import type { Attribute } from './pkcs11-module';

/**
 * Attribute templates for an RSA key pair on a token. `full`: private key
 * token-resident, private, sensitive, not extractable, for signing and
 * decryption (the certificate also protects email); public key for
 * verification and encryption. `minimal`: what a token that refuses the full
 * template is asked for instead — a sensitive private key for signing.
 */
export function rsaKeyPairTemplates(options: { bits: number; label: string; id: Buffer; kind: 'full' | 'minimal'; subject?: Buffer | undefined }): {
  publicTemplate: Attribute[];
  privateTemplate: Attribute[];
} {
  const common: Attribute[] = [
    { type: CKA.TOKEN, value: true },
    { type: CKA.LABEL, value: options.label },
    { type: CKA.ID, value: options.id },
    // The certificate's subject-to-be (the CSR's), so the key says whose it is before the certificate arrives.
    ...(options.kind === 'full' && options.subject?.length ? [{ type: CKA.SUBJECT, value: options.subject }] : []),
  ];
  const publicTemplate: Attribute[] = [
    ...common,
    { type: CKA.VERIFY, value: true },
    { type: CKA.MODULUS_BITS, value: options.bits },
    { type: CKA.PUBLIC_EXPONENT, value: Buffer.from([0x01, 0x00, 0x01]) },
  ];
  const privateTemplate: Attribute[] = [...common, { type: CKA.PRIVATE, value: true }, { type: CKA.SENSITIVE, value: true }, { type: CKA.SIGN, value: true }];
  if (options.kind === 'full') {
    publicTemplate.push({ type: CKA.CLASS, value: CKO.PUBLIC_KEY }, { type: CKA.KEY_TYPE, value: CKK_RSA }, { type: CKA.PRIVATE, value: false }, { type: CKA.ENCRYPT, value: true });
    privateTemplate.push(
      { type: CKA.CLASS, value: CKO.PRIVATE_KEY },
      { type: CKA.KEY_TYPE, value: CKK_RSA },
      { type: CKA.EXTRACTABLE, value: false },
      { type: CKA.DECRYPT, value: true },
    );
  }
  return { publicTemplate, privateTemplate };
}
