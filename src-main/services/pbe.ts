import { createCipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { der, OID } from './asn1';
import { hashRoundsEach, SHA1_LANES } from './p12/hash-rounds';

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

export interface KdfRequest {
  salt: Buffer;
  /** 1 = key, 2 = IV, 3 = MAC key. */
  id: 1 | 2 | 3;
  length: number;
}

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B) for several requests at
 * once: each output block is a chain of `iterations` hashes, and the chains of
 * different requests are independent, so they run side by side (SHA-1: four at
 * a time). A request's second block needs its first: the longest go first, so
 * the compatible .p12's five (two 24-byte keys, two IVs, the MAC key) take two
 * passes. The password is a BMPString with its terminating zero.
 */
export function pkcs12Kdfs(password: string, requests: readonly KdfRequest[], iterations: number, hash: 'sha1' | 'sha256'): Buffer[] {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const pw = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  // src repeated to a whole number of v-byte blocks (Buffer.alloc repeats a Buffer fill; a cold byte loop cost 0.4 ms).
  const fill = (src: Buffer) => (src.length === 0 ? Buffer.alloc(0) : Buffer.alloc(v * Math.ceil(src.length / v), src));
  const chains = requests.map((request) => ({ D: Buffer.alloc(v, request.id), I: Buffer.concat([fill(request.salt), fill(pw)]), out: Buffer.alloc(request.length), offset: 0 }));
  const blocksLeft = (chain: (typeof chains)[number]) => Math.ceil((chain.out.length - chain.offset) / u);
  for (;;) {
    const ready = chains.filter((chain) => chain.offset < chain.out.length).sort((a, b) => blocksLeft(b) - blocksLeft(a));
    if (ready.length === 0) return chains.map((chain) => chain.out);
    const pass = hash === 'sha1' ? ready.slice(0, SHA1_LANES) : ready;
    // The first round hashes D || I; the rest hash one digest each, in hash-rounds' tight loop.
    const digests = hashRoundsEach(hash, pass.map((chain) => createHash(hash).update(chain.D).update(chain.I).digest()), iterations - 1);
    pass.forEach((chain, k) => {
      const A = digests[k]!;
      A.copy(chain.out, chain.offset, 0, Math.min(u, chain.out.length - chain.offset));
      chain.offset += u;
      if (chain.offset >= chain.out.length) return;
      // I_j = (I_j + B + 1) mod 2^(v*8), B = A repeated to v bytes.
      const B = fill(A);
      const next = Buffer.alloc(chain.I.length);
      for (let j = 0; j < chain.I.length; j += v) {
        let carry = 1;
        for (let i = v - 1; i >= 0; i--) {
          const sum = chain.I[j + i]! + B[i]! + carry;
          next[j + i] = sum & 0xff;
          carry = sum >> 8;
        }
      }
      chain.I = next;
    });
  }
}

/** A 3DES key and IV from the PKCS#12 KDF, with the salt they came from. */
export interface TripleDesKey {
  salt: Buffer;
  key: Buffer;
  iv: Buffer;
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC: the PKCS#12 scheme every importer reads. */
export function tripleDesEncrypt(plain: Buffer, { salt, key, iv }: TripleDesKey, iterations: number): Encrypted {
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { algorithm: der.seq([der.oid(OID.pbeWithSHAAnd3DES), der.seq([der.octets(salt), der.int(iterations)])]), ciphertext };
}
