import { createDecipheriv, createPrivateKey, createPublicKey, generateKeyPair, pbkdf2, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../../src/contract/errors';
import { der, derChildren, derElementAt, integerOf, oidOf, OID, pemBody } from './asn1';
import { pbes2Encrypt } from './pbe';
import { files } from './fs-async';
import type { Signer } from './signer';

const generateKeyPairAsync = promisify(generateKeyPair);
const pbkdf2Async = promisify(pbkdf2);

export const RSA_BITS = 2048;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PBKDF2_ITERATIONS = 600_000;


/** Generates an RSA key pair on libuv's thread pool, so the event loop stays free. */
export async function generateSoftwareKey(bits = RSA_BITS): Promise<KeyObject> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey;
}

export function softwareSigner(privateKey: KeyObject): Signer {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    publicKey: { modulus: Buffer.from(jwk.n!, 'base64url'), exponent: Buffer.from(jwk.e!, 'base64url') },
    signSha256: async (data) => sign('sha256', data, privateKey),
  };
}

/**
 * Encrypted PKCS#8 (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC) as PEM, readable by
 * `openssl pkey`. Encoded here because Node's own export fixes the iteration
 * count at OpenSSL's 2048 and node-forge derives the key synchronously.
 */
export async function encryptPrivateKey(privateKey: KeyObject, password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  const { algorithm, ciphertext } = await pbes2Encrypt(plain, password, iterations);
  const info = der.seq([algorithm, der.octets(ciphertext)]);
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${info.toString('base64').replace(/.{64}(?=.)/g, '$&\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
}

/**
 * Opens an encrypted private key (PEM, or DER PKCS#8). PBES2 with PBKDF2 (any
 * HMAC-SHA PRF; AES-CBC or 3DES) — our own keys and OpenSSL's — is derived on
 * libuv's thread pool, never on the event loop. Other schemes (legacy PEM
 * encryption, PKCS#12 PBE) go to `fallback`: OpenSSL, on a worker in the app.
 * A wrong password is KEY_PASSWORD_INCORRECT.
 */
export async function decryptPrivateKey(
  input: string | Buffer,
  password: string,
  fallback: (input: string | Buffer, password: string) => Promise<KeyObject> = async (key, passphrase) => openWithOpenSsl(key, passphrase),
): Promise<KeyObject> {
  const pbes2 = parsePbes2Pkcs8(input);
  // A count no key-making tool writes would keep a thread busy for hours: refused before any work.
  if (pbes2 && !(Number.isSafeInteger(pbes2.iterations) && pbes2.iterations >= 1 && pbes2.iterations <= MAX_PBKDF2_ITERATIONS)) {
    throw new AppError('KEY_INVALID', { detail: `PBKDF2 iteration count ${pbes2.iterations} outside 1..${MAX_PBKDF2_ITERATIONS}` });
  }
  // PBKDF2's work grows with the key length asked for too (a length of 2^26 at 600,000 rounds: days), and a
  // length or IV the cipher cannot take is a damaged file, not a wrong password: refused, as OpenSSL does.
  if (pbes2 && (pbes2.keyLength !== pbes2.cipher.keyLength || pbes2.iv.length !== pbes2.cipher.ivLength)) {
    throw new AppError('KEY_INVALID', { detail: `PBES2 key length ${pbes2.keyLength} or IV of ${pbes2.iv.length} bytes does not fit ${pbes2.cipher.name}` });
  }
  try {
    if (!pbes2) return await fallback(input, password);
    const key = await pbkdf2Async(Buffer.from(password, 'utf8'), pbes2.salt, pbes2.iterations, pbes2.keyLength, pbes2.prf);
    const decipher = createDecipheriv(pbes2.cipher.name, key, pbes2.iv);
    const plain = Buffer.concat([decipher.update(pbes2.encrypted), decipher.final()]);
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw cause instanceof AppError ? cause : new AppError('KEY_PASSWORD_INCORRECT', { cause });
  }
}

/** Ten million: ~17× the 600,000 this app writes, several seconds of PBKDF2; more is not a key a person made. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** OpenSSL's own decryption: synchronous, for the schemes parsePbes2Pkcs8 does not take. */
export function openWithOpenSsl(input: string | Buffer, password: string): KeyObject {
  return typeof input === 'string'
    ? createPrivateKey({ key: input, format: 'pem', passphrase: password })
    : createPrivateKey({ key: input, format: 'der', type: 'pkcs8', passphrase: password });
}

/** Reads and opens one of this app's key files; KEY_MISSING when the file is gone. */
export async function openKeyFile(keyPath: string | undefined, password: string): Promise<KeyObject> {
  if (!keyPath) throw new AppError('KEY_MISSING');
  let pem: string;
  try {
    pem = (await files.readFile(keyPath)).toString('utf8');
  } catch (cause) {
    throw new AppError('KEY_MISSING', { detail: keyPath, cause });
  }
  return decryptPrivateKey(pem, password);
}

interface Pbes2Pkcs8 {
  salt: Buffer;
  iterations: number;
  keyLength: number;
  prf: string;
  cipher: Cipher;
  iv: Buffer;
  encrypted: Buffer;
}

const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  [OID.hmacWithSHA256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
interface Cipher {
  name: string;
  keyLength: number;
  ivLength: number;
}
const CIPHERS: Record<string, Cipher> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

/** EncryptedPrivateKeyInfo under PBES2 + PBKDF2 (RFC 8018), from PEM or DER; undefined for anything else. */
function parsePbes2Pkcs8(input: string | Buffer): Pbes2Pkcs8 | undefined {
  try {
    // PEM without an encrypted PKCS#8 block (a legacy encrypted RSA key) is for the fallback, OpenSSL.
    const body = typeof input === 'string' ? pemBody(input, ['ENCRYPTED PRIVATE KEY']) : input;
    if (!body) return undefined;
    const root = derElementAt(body);
    // Bytes after the structure: not a key file this code reads.
    if (root.raw.length !== body.length) return undefined;
    const [alg, data] = derChildren(root);
    const [algOid, params] = derChildren(alg!);
    if (oidOf(algOid!) !== OID.pbes2) return undefined;
    const [kdf, enc] = derChildren(params!);
    const [kdfOid, kdfParams] = derChildren(kdf!);
    const [encOid, ivNode] = derChildren(enc!);
    const cipher = CIPHERS[oidOf(encOid!)];
    if (oidOf(kdfOid!) !== OID.pbkdf2 || !cipher) return undefined;
    const [saltNode, iterNode, ...rest] = derChildren(kdfParams!);
    // Optional keyLength (INTEGER), then the PRF; HMAC-SHA1 when the PRF is absent.
    const lengthNode = rest.find((node) => node.tag === 0x02);
    const prfNode = rest.find((node) => node.tag === 0x30);
    const prf = prfNode ? PRFS[oidOf(derChildren(prfNode)[0]!)] : 'sha1';
    if (!prf || saltNode?.tag !== 0x04) return undefined;
    return {
      salt: saltNode.content,
      iterations: integerOf(iterNode!),
      keyLength: lengthNode ? integerOf(lengthNode) : cipher.keyLength,
      prf,
      cipher,
      iv: ivNode!.content,
      encrypted: data!.content,
    };
  } catch {
    return undefined;
  }
}
