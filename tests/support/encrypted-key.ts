import { der, OID } from '../../src-main/services/asn1';

/**
 * An EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) with a chosen PBKDF2 count,
 * key length or IV, and a ciphertext no password opens: for decryptPrivateKey's refusals.
 * `count` is the INTEGER element itself, so that a negative one can be written.
 */
export function pbes2Key({ count = der.int(2048), keyLength, iv = Buffer.alloc(16, 2) }: { count?: Buffer; keyLength?: number; iv?: Buffer }): Buffer {
  const kdfParams = [der.octets(Buffer.alloc(16, 1)), count, ...(keyLength === undefined ? [] : [der.int(keyLength)]), der.seq([der.oid(OID.hmacWithSHA256), der.nul()])];
  return der.seq([
    der.seq([der.oid(OID.pbes2), der.seq([der.seq([der.oid(OID.pbkdf2), der.seq(kdfParams)]), der.seq([der.oid(OID.aes256Cbc), der.octets(iv)])])]),
    der.octets(Buffer.alloc(1232, 3)),
  ]);
}

export const pbes2KeyWithCount = (iterations: number): Buffer => pbes2Key({ count: der.int(iterations) });
