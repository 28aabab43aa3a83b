import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { WorkerCrypto } from '../../src-main/services/crypto-runner';
import { decryptPrivateKey, MAX_PBKDF2_ITERATIONS } from '../../src-main/services/software-key';
import { pbes2KeyWithCount } from '../support/encrypted-key';
import { run, tempDir } from '../support/tools';
import { issueDayCertificate } from '../support/test-certificate';

const WORKER = path.resolve('dist/worker/crypto-worker.cjs');
const PASS = 'Kunci#Asing2026';
let dir: string;
let cleanup: () => Promise<void>;
let key: KeyObject;
let keyPem: string;
let crypto: WorkerCrypto;

const spkiOf = (k: KeyObject) => createPublicKey(k).export({ type: 'spki', format: 'der' });

beforeAll(async () => {
  expect(existsSync(WORKER), 'run `npm run build` first').toBe(true);
  ({ dir, cleanup } = await tempDir('lock-crypto-'));
  key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(path.join(dir, 'plain.pem'), keyPem);
  crypto = new WorkerCrypto(WORKER);
});
afterAll(async () => {
  await crypto.close();
  await cleanup();
});

/** The key encrypted by openssl with `args`; DER when asked. */
async function opensslEncrypted(name: string, args: string[]): Promise<string> {
  const out = path.join(dir, name);
  const made = await run('openssl', [...args, '-in', path.join(dir, 'plain.pem'), '-out', out, '-passout', `pass:${PASS}`]);
  expect(made.code, made.stderr).toBe(0);
  return out;
}

describe('CPU work off the event loop', () => {
  it('the crypto worker builds .p12 files (both profiles) that openssl opens and MAC-verifies', async () => {
    const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
    const issued = await issueDayCertificate(ca, key);
    const der = (pem: string) => Buffer.from(forge.pem.decode(pem)[0]!.body, 'binary');
    for (const profile of ['compatible', 'modern'] as const) {
      const p12 = await crypto.pkcs12({ key, certificates: [der(issued.pem), der(ca.issuing.pem)], password: PASS, friendlyName: 'MAMAN', profile });
      const file = path.join(dir, `${profile}.p12`);
      await writeFile(file, p12);
      const info = await run('openssl', ['pkcs12', '-info', '-in', file, '-passin', `pass:${PASS}`, '-noout']);
      expect(info.code, `${profile}: ${info.stderr}`).toBe(0);
      expect(info.stderr).toContain(profile === 'modern' ? 'MAC: sha256' : 'MAC: sha1');
    }
  });

  it.each([
    ['PBES2 AES-128, HMAC-SHA512 PRF (PEM)', ['pkcs8', '-topk8', '-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA512', '-iter', '20000']],
    ['PBES2 3DES, HMAC-SHA1 PRF (PEM)', ['pkcs8', '-topk8', '-v2', 'des3', '-v2prf', 'hmacWithSHA1']],
    ['PBES2 AES-256, HMAC-SHA256 (DER)', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-outform', 'DER']],
  ])('a foreign key, %s, opens with the async KDF; a wrong password says so', async (name, args) => {
    const file = await opensslEncrypted(name.replace(/\W+/g, '-'), args);
    const input = args.includes('DER') ? await readFile(file) : await readFile(file, 'utf8');
    // No fallback: these must never reach OpenSSL's synchronous decryption.
    const refuse = async () => {
      throw new Error('fell back to OpenSSL');
    };
    expect(spkiOf(await decryptPrivateKey(input, PASS, refuse))).toEqual(spkiOf(key));
    await expect(decryptPrivateKey(input, 'wrong', refuse)).rejects.toMatchObject({ code: 'KEY_PASSWORD_INCORRECT' });
  });

  it('a legacy PEM-encrypted key opens on the worker; a wrong password says so', async () => {
    const file = await opensslEncrypted('legacy.pem', ['rsa', '-aes256', '-traditional']);
    const pem = await readFile(file, 'utf8');
    expect(pem).toContain('Proc-Type: 4,ENCRYPTED');
    expect(spkiOf(await decryptPrivateKey(pem, PASS, crypto.openKey.bind(crypto)))).toEqual(spkiOf(key));
    await expect(decryptPrivateKey(pem, 'wrong', crypto.openKey.bind(crypto))).rejects.toMatchObject({ code: 'KEY_PASSWORD_INCORRECT' });
  });

  it('an encrypted key whose PBKDF2 count is over ten million, or zero, is KEY_INVALID before any derivation', async () => {
    for (const iterations of [MAX_PBKDF2_ITERATIONS + 1, 2 ** 31 - 1, 0]) {
      const started = Date.now();
      await expect(decryptPrivateKey(pbes2KeyWithCount(iterations), 'Kunci#Rahasia2026')).rejects.toMatchObject({ code: 'KEY_INVALID', detail: expect.stringContaining(`count ${iterations} outside`) });
      // Refused without deriving: a 2^31-round PBKDF2 would take hours.
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    // At the limit the count is accepted and derivation runs (the garbage ciphertext then fails to decrypt).
    await expect(decryptPrivateKey(pbes2KeyWithCount(1), 'Kunci#Rahasia2026')).rejects.toMatchObject({ code: 'KEY_PASSWORD_INCORRECT' });
  });

  it('the worker starts again after close', async () => {
    await crypto.close();
    const reopened = await crypto.openKey(keyPem, '');
    expect(spkiOf(reopened)).toEqual(spkiOf(key));
  });
});
