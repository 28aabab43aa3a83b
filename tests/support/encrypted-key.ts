import { der, OID } from '../../src-main/services/asn1';

/**
 * An EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) with a chosen PBKDF2 count
 * and a ciphertext no password opens: for the count limits of decryptPrivateKey.
 */
export function pbes2KeyWithCount(iterations: number): Buffer {
  return der.seq([
    der.seq([
      der.oid(OID.pbes2),
      der.seq([
        der.seq([der.oid(OID.pbkdf2), der.seq([der.octets(Buffer.alloc(16, 1)), der.int(iterations), der.seq([der.oid(OID.hmacWithSHA256), der.nul()])])]),
        der.seq([der.oid(OID.aes256Cbc), der.octets(Buffer.alloc(16, 2))]),
      ]),
    ]),
    der.octets(Buffer.alloc(1232, 3)),
  ]);
}
