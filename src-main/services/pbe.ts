import { createCipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { der, OID } from './asn1';
import { hashRounds } from './p12/hash-rounds';

const pbkdf2Async = promisify(pbkdf2);

export interface Encrypted {
  /** The AlgorithmIdentifier that says how to decrypt. */
  algorithm: Buffer;
  ciphertext: Buffer;
}

/**
 * PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 and AES-256-CBC, the key derived off the
 * event loop. The password is used as UTF-8, as OpenSSL does.
 */
export async function pbes2Encrypt(plain: Buffer, password: string, iterations: number): Promise<Encrypted> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const algorithm = der.seq([
    der.oid(OID.pbes2),
    der.seq([
      der.seq([der.oid(OID.pbkdf2), der.seq([der.octets(salt), der.int(iterations), der.seq([der.oid(OID.hmacWithSHA256), der.nul()])])]),
      der.seq([der.oid(OID.aes256Cbc), der.octets(iv)]),
    ]),
  ]);
  return { algorithm, ciphertext };
}

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B): id 1 = key, 2 = IV, 3 = MAC
 * key. The password is a BMPString with its terminating zero.
 */
export function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number, hash: 'sha1' | 'sha256'): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const pw = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  let I = Buffer.concat([fill(salt), fill(pw)]);
  const result = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += u) {
    // The first round hashes D || I; the rest hash one digest each, in hash-rounds' tight loop.
    const A = hashRounds(hash, createHash(hash).update(D).update(I).digest(), iterations - 1);
    A.copy(result, offset, 0, Math.min(u, length - offset));
    if (offset + u >= length) break;
    // I_j = (I_j + B + 1) mod 2^(v*8), B = A repeated to v bytes.
    const B = fill(A);
    const next = Buffer.alloc(I.length);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        next[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
    I = next;
  }
  return result;
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC: the PKCS#12 scheme every importer reads. */
export function pkcs12TripleDesEncrypt(plain: Buffer, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const key = pkcs12Kdf(password, salt, 1, iterations, 24, 'sha1');
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8, 'sha1');
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { algorithm: der.seq([der.oid(OID.pbeWithSHAAnd3DES), der.seq([der.octets(salt), der.int(iterations)])]), ciphertext };
}
