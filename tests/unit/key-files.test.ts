import { createCipheriv, createPublicKey, generateKeyPairSync, pbkdf2Sync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { buildPkcs12 } from '../../src-main/services/p12/pkcs12-builder';
import { der, OID } from '../../src-main/services/asn1';
import { decryptPrivateKey, encryptPrivateKey, MAX_PBKDF2_ITERATIONS, openKeyFile, openWithOpenSsl } from '../../src-main/services/software-key';
import { pbes2Key, pbes2KeyWithCount } from '../support/encrypted-key';
import { run, tempDir } from '../support/tools';

/**
 * Opening key files the app did not write itself (OpenSSL's fallback) and its own key files by path: the
 * error a person meets for a missing file, and the formats OpenSSL is asked to read.
 */
const PASS = 'Kunci#Rahasia2026';
const { privateKey: key } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spki = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'der' }).toString('hex');
// Legacy PEM encryption ("Proc-Type: 4,ENCRYPTED"): not PBES2 PKCS#8, so only OpenSSL opens it.
const legacyPem = key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASS }) as string;
const encryptedDer = key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PASS });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('openWithOpenSsl: keys in formats the app does not parse itself', () => {
  it('opens a legacy encrypted PEM with its password', () => {
    expect(legacyPem).toContain('Proc-Type: 4,ENCRYPTED');
    expect(spki(openWithOpenSsl(legacyPem, PASS))).toBe(spki(key));
  });

  it('opens an encrypted PKCS#8 DER buffer with its password', () => {
    expect(Buffer.isBuffer(encryptedDer)).toBe(true);
    expect(spki(openWithOpenSsl(encryptedDer, PASS))).toBe(spki(key));
  });

  it('is what decryptPrivateKey falls back to by default: the legacy PEM opens, a wrong password is KEY_PASSWORD_INCORRECT', async () => {
    expect(spki(await decryptPrivateKey(legacyPem, PASS))).toBe(spki(key));
    expect((await failure(decryptPrivateKey(legacyPem, 'wrong'))).code).toBe('KEY_PASSWORD_INCORRECT');
  });
});

describe('openKeyFile', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('lock-key-file-')));
  afterAll(async () => cleanup());

  it('opens the app’s own key file with its password', async () => {
    const file = path.join(dir, 'key.pem');
    await writeFile(file, await encryptPrivateKey(key, PASS, 1000));
    expect(spki(await openKeyFile(file, PASS))).toBe(spki(key));
  });

  it('no key path recorded: KEY_MISSING without detail, refused before any file is read', async () => {
    const error = await failure(openKeyFile(undefined, PASS));
    expect(error.code).toBe('KEY_MISSING');
    expect(error.detail).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it('a key file that is gone: KEY_MISSING naming the path, not a raw ENOENT', async () => {
    const gone = path.join(dir, 'gone.pem');
    const error = await failure(openKeyFile(gone, PASS));
    expect(error.code).toBe('KEY_MISSING');
    expect(error.detail).toBe(gone);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('decryptPrivateKey: the app’s own PBES2 keys', () => {
  // The upper bound itself is allowed (one above is KEY_INVALID: tests/integration/crypto-worker.test.ts): the
  // count is accepted, ten million rounds are derived, and only then does the garbage ciphertext fail.
  it(`a PBKDF2 count of exactly ${MAX_PBKDF2_ITERATIONS} is accepted and derived`, { timeout: 120_000 }, async () => {
    expect((await failure(decryptPrivateKey(pbes2KeyWithCount(MAX_PBKDF2_ITERATIONS), PASS))).code).toBe('KEY_PASSWORD_INCORRECT');
  });

  it('a key length or IV the cipher cannot take, or a negative count, is KEY_INVALID at once, not a wrong password', async () => {
    for (const [input, detail] of [
      // PBKDF2's work grows with the length asked for: 2^26 bytes at 2,048 rounds would keep a thread busy for hours.
      [pbes2Key({ keyLength: 2 ** 26 }), 'PBES2 key length 67108864 or IV of 16 bytes does not fit aes-256-cbc'],
      [pbes2Key({ keyLength: 16 }), 'PBES2 key length 16 or IV of 16 bytes does not fit aes-256-cbc'],
      [pbes2Key({ iv: Buffer.alloc(15) }), 'PBES2 key length 32 or IV of 15 bytes does not fit aes-256-cbc'],
      [pbes2Key({ count: Buffer.from('0201ff', 'hex') }), 'PBKDF2 iteration count -1 outside 1..10000000'],
    ] as const) {
      const started = Date.now();
      const error = await failure(decryptPrivateKey(input, PASS));
      expect([error.code, error.detail]).toEqual(['KEY_INVALID', detail]);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    // The length the cipher takes, written out, is what it always was.
    expect((await failure(decryptPrivateKey(pbes2Key({ keyLength: 32 }), PASS))).code).toBe('KEY_PASSWORD_INCORRECT');
  });

  it('the key file is PEM as OpenSSL writes it: 64 characters a line, LF, one block', async () => {
    const pem = await encryptPrivateKey(key, PASS, 1000);
    const lines = pem.split('\n');
    expect([lines[0], lines.at(-2), lines.at(-1)]).toEqual(['-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----END ENCRYPTED PRIVATE KEY-----', '']);
    const body = lines.slice(1, -2);
    expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    expect(body.at(-1)!.length).toBeGreaterThan(0);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
  });

  it('a wrong password is KEY_PASSWORD_INCORRECT, keeping the decryption error as its cause for the log', async () => {
    const error = await failure(decryptPrivateKey(await encryptPrivateKey(key, PASS, 1000), 'wrong'));
    expect(error.code).toBe('KEY_PASSWORD_INCORRECT');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).not.toBeInstanceOf(AppError);
  });

  it('only a PEM labelled ENCRYPTED PRIVATE KEY is read as PBES2; the same body under another label goes to OpenSSL', async () => {
    const relabelled = (await encryptPrivateKey(key, PASS, 1000)).replace(/ENCRYPTED PRIVATE KEY/g, 'PRIVATE KEY');
    const seen: (string | Buffer)[] = [];
    const fallback = async (input: string | Buffer) => {
      seen.push(input);
      throw new AppError('KEY_INVALID');
    };
    expect((await failure(decryptPrivateKey(relabelled, PASS, fallback))).code).toBe('KEY_INVALID');
    expect(seen).toEqual([relabelled]);
  });
});

describe('decryptPrivateKey: which keys it derives itself', () => {
  // The app's own key as DER, with the last byte of one PKCS#5 OID (1.2.840.113549.1.5.x) changed: 13 is PBES2,
  // 12 PBKDF2; 10 and 11 are the old PBES1 schemes, the same length, so the rest of the structure stays valid.
  async function ownKeyWith(oid?: { from: number; to: number }): Promise<Buffer> {
    const pem = await encryptPrivateKey(key, PASS, 1000);
    const bytes = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    if (oid) {
      const prefix = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, oid.from]);
      const at = bytes.indexOf(prefix);
      expect(at).toBeGreaterThan(0);
      bytes[at + prefix.length - 1] = oid.to;
    }
    return bytes;
  }
  const recording = () => {
    const seen: (string | Buffer)[] = [];
    const fallback = async (input: string | Buffer) => {
      seen.push(input);
      throw new AppError('KEY_INVALID');
    };
    return { seen, fallback };
  };

  it('an encrypted key after another PEM block (a certificate) in one file: read here, as OpenSSL finds it', async () => {
    const { seen, fallback } = recording();
    const pem = `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n${await encryptPrivateKey(key, PASS, 1000)}`;
    expect(spki(await decryptPrivateKey(pem, PASS, fallback))).toBe(spki(key));
    expect(seen).toEqual([]);
  });

  it('bytes after the structure: not read here, the key goes to OpenSSL', async () => {
    const { seen, fallback } = recording();
    const input = Buffer.concat([encryptedDer as Buffer, Buffer.from([0])]);
    await failure(decryptPrivateKey(input, PASS, fallback));
    expect(seen).toEqual([input]);
    // Without them, read here.
    const plain = recording();
    expect(spki(await decryptPrivateKey(encryptedDer as Buffer, PASS, plain.fallback))).toBe(spki(key));
    expect(plain.seen).toEqual([]);
  });

  // Every PRF and cipher OpenSSL writes under PBES2 is derived here (off the event loop), not handed to OpenSSL.
  it('keys OpenSSL encrypted with each HMAC-SHA PRF and each cipher: derived here, OpenSSL not asked', async () => {
    const plain = key.export({ type: 'pkcs8', format: 'pem' }) as string;
    for (const [cipher, prf] of [
      ['aes-256-cbc', 'hmacWithSHA1'],
      ['aes-256-cbc', 'hmacWithSHA224'],
      ['aes-256-cbc', 'hmacWithSHA384'],
      ['aes-256-cbc', 'hmacWithSHA512'],
      ['aes-128-cbc', 'hmacWithSHA256'],
      ['aes-192-cbc', 'hmacWithSHA256'],
      ['des-ede3-cbc', 'hmacWithSHA256'],
    ]) {
      const out = await run('openssl', ['pkcs8', '-topk8', '-v2', cipher!, '-v2prf', prf!, '-iter', '1000', '-passout', `pass:${PASS}`], { input: plain });
      expect(out.code, out.stderr).toBe(0);
      const { seen, fallback } = recording();
      expect(spki(await decryptPrivateKey(out.stdout, PASS, fallback)), `${cipher} ${prf}`).toBe(spki(key));
      expect(seen, `${cipher} ${prf}`).toEqual([]);
    }
  });

  it('a PRF it has no table entry for (hmacWithSHA512-256) goes to OpenSSL, which opens it', async () => {
    const plain = key.export({ type: 'pkcs8', format: 'pem' }) as string;
    const out = await run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512-256', '-iter', '1000', '-passout', `pass:${PASS}`], { input: plain });
    expect(out.code, out.stderr).toBe(0);
    const { seen, fallback } = recording();
    await expect(decryptPrivateKey(out.stdout, PASS, fallback)).rejects.toMatchObject({ code: 'KEY_INVALID' });
    expect(seen).toEqual([out.stdout]);
    expect(spki(await decryptPrivateKey(out.stdout, PASS))).toBe(spki(key));
  });

  // OpenSSL leaves hmacWithSHA1 out (it is the default); some tools name it. Made here with node:crypto.
  it('a key naming hmacWithSHA1 as its PRF explicitly: derived here, OpenSSL not asked', async () => {
    const [salt, iv] = [Buffer.alloc(16, 7), Buffer.alloc(16, 9)];
    const cipher = createCipheriv('aes-256-cbc', pbkdf2Sync(PASS, salt, 1000, 32, 'sha1'), iv);
    const plain = key.export({ type: 'pkcs8', format: 'der' });
    const sha1Prf = der.seq([der.oid('1.2.840.113549.2.7'), der.nul()]);
    const input = der.seq([
      der.seq([
        der.oid(OID.pbes2),
        der.seq([der.seq([der.oid(OID.pbkdf2), der.seq([der.octets(salt), der.int(1000), sha1Prf])]), der.seq([der.oid(OID.aes256Cbc), der.octets(iv)])]),
      ]),
      der.octets(Buffer.concat([cipher.update(plain), cipher.final()])),
    ]);
    const { seen, fallback } = recording();
    expect(spki(await decryptPrivateKey(input, PASS, fallback))).toBe(spki(key));
    expect(seen).toEqual([]);
  });

  it('PBES2 with PBKDF2 as DER: derived here, OpenSSL not asked', async () => {
    const { seen, fallback } = recording();
    expect(spki(await decryptPrivateKey(await ownKeyWith(), PASS, fallback))).toBe(spki(key));
    expect(seen).toEqual([]);
  });

  it.each([
    ['a scheme other than PBES2', { from: 0x0d, to: 0x0a }],
    ['PBES2 with a key derivation other than PBKDF2', { from: 0x0c, to: 0x0b }],
  ])('%s goes to OpenSSL, even with PBES2-shaped parameters', async (_name, oid) => {
    const input = await ownKeyWith(oid);
    const { seen, fallback } = recording();
    expect((await failure(decryptPrivateKey(input, PASS, fallback))).code).toBe('KEY_INVALID');
    expect(seen).toEqual([input]);
  });
});

describe('buildPkcs12', () => {
  it('refuses to build a PKCS#12 without the certificate', async () => {
    await expect(buildPkcs12({ key, certificates: [], password: PASS, friendlyName: 'X', profile: 'modern' })).rejects.toThrow(
      'a PKCS#12 needs the certificate',
    );
  });
});
