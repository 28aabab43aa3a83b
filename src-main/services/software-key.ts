import { createDecipheriv, createPrivateKey, createPublicKey, generateKeyPair, pbkdf2, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { AppError } from '../../src/contract/errors';
import { der, OID } from './asn1';
import { pbes2Encrypt } from './pbe';
import type { Signer } from './signer';

const generateKeyPairAsync = promisify(generateKeyPair);
const pbkdf2Async = promisify(pbkdf2);
const asn1 = forge.asn1;

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
  const info = der.encode(der.seq([algorithm, der.octets(ciphertext)]));
  return forge.pem.encode({ type: 'ENCRYPTED PRIVATE KEY', body: info.toString('binary') }, { maxline: 64 });
}

/**
 * Opens a key written by `encryptPrivateKey`, deriving the key off the event
 * loop. Any other PEM (another PBES2 profile, legacy PEM encryption, plain keys)
 * goes to OpenSSL. A wrong password is KEY_PASSWORD_INCORRECT.
 */
export async function decryptPrivateKey(pem: string, password: string): Promise<KeyObject> {
  const ours = parseOwnPkcs8(pem);
  try {
    if (!ours) return createPrivateKey({ key: pem, format: 'pem', passphrase: password });
    const key = await pbkdf2Async(Buffer.from(password, 'utf8'), ours.salt, ours.iterations, 32, 'sha256');
    const decipher = createDecipheriv('aes-256-cbc', key, ours.iv);
    const plain = Buffer.concat([decipher.update(ours.encrypted), decipher.final()]);
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new AppError('KEY_PASSWORD_INCORRECT', { cause });
  }
}

/** Reads and opens one of this app's key files; KEY_MISSING when the file is gone. */
export async function openKeyFile(keyPath: string | undefined, password: string): Promise<KeyObject> {
  if (!keyPath) throw new AppError('KEY_MISSING');
  let pem: string;
  try {
    pem = await readFile(keyPath, 'utf8');
  } catch (cause) {
    throw new AppError('KEY_MISSING', { detail: keyPath, cause });
  }
  return decryptPrivateKey(pem, password);
}

interface OwnPkcs8 {
  salt: Buffer;
  iterations: number;
  iv: Buffer;
  encrypted: Buffer;
}

function parseOwnPkcs8(pem: string): OwnPkcs8 | undefined {
  try {
    const [msg] = forge.pem.decode(pem);
    if (msg?.type !== 'ENCRYPTED PRIVATE KEY') return undefined;
    const root = asn1.fromDer(msg.body);
    const [alg, data] = root.value as forge.asn1.Asn1[];
    const [algOid, params] = alg!.value as forge.asn1.Asn1[];
    if (asn1.derToOid(algOid!.value as string) !== OID.pbes2) return undefined;
    const [kdf, enc] = params!.value as forge.asn1.Asn1[];
    const [kdfOid, kdfParams] = kdf!.value as forge.asn1.Asn1[];
    const [encOid, ivNode] = enc!.value as forge.asn1.Asn1[];
    if (asn1.derToOid(kdfOid!.value as string) !== OID.pbkdf2 || asn1.derToOid(encOid!.value as string) !== OID.aes256Cbc) return undefined;
    const [saltNode, iterNode, ...rest] = kdfParams!.value as forge.asn1.Asn1[];
    const prf = rest.find((node) => node.type === asn1.Type.SEQUENCE);
    if (!prf || asn1.derToOid((prf.value as forge.asn1.Asn1[])[0]!.value as string) !== OID.hmacWithSHA256) return undefined;
    const bin = (node: forge.asn1.Asn1) => Buffer.from(node.value as string, 'binary');
    return {
      salt: bin(saltNode!),
      iterations: asn1.derToInteger(iterNode!.value as string),
      iv: bin(ivNode!),
      encrypted: bin(data!),
    };
  } catch {
    return undefined;
  }
}
