import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPin, secretFromText } from '../../src/domain/secret-text';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { BundleService } from '../../src-main/services/bundle-service';
import { RequestLedger } from '../../src-main/services/request-ledger';
import { readSecretFile } from '../../src-main/services/secret-file';
import { generateSoftwareKey } from '../../src-main/services/software-key';
import { tempDir } from '../support/tools';
import { expectCode, snapshot } from './support';
import { issueDayCertificate } from '../support/test-certificate';

const PASSWORD = 'Kunci#Rahasia2026';
let dir: string;
let cleanup: () => Promise<void>;
const file = async (name: string, content: string | Buffer) => {
  const full = path.join(dir, 'in', name);
  await writeFile(full, content);
  return full;
};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-corpus-files-'));
  await mkdir(path.join(dir, 'in'));
  await mkdir(path.join(dir, 'out'));
});
afterAll(() => cleanup());

describe('corpus: PIN and password files', () => {
  const secretCases: [string, () => Promise<string>, 'password' | 'pin' | 'token', string | 'FILE_TOO_LARGE' | 'FILE_READ_FAILED' | 'PASSWORD_TOO_LONG' | 'PKCS11_PIN_INVALID'][] = [
    ['BOM + CRLF password (deliberate success)', () => file('p1', `\uFEFF${PASSWORD}\r\n`), 'password', PASSWORD],
    ['CR-only line ending (deliberate success)', () => file('p2', `${PASSWORD}\r`), 'password', PASSWORD],
    ['second line ignored (deliberate success)', () => file('p3', `${PASSWORD}\nsomething else\n`), 'password', PASSWORD],
    ['trailing spaces kept (deliberate success)', () => file('p4', `${PASSWORD}  \n`), 'password', `${PASSWORD}  `],
    ['4097 bytes', () => file('p5', 'A'.repeat(4097)), 'password', 'FILE_TOO_LARGE'],
    ['10 MB', () => file('p6', Buffer.alloc(10 * 1024 * 1024, 0x41)), 'password', 'FILE_TOO_LARGE'],
    ['/dev/zero', async () => '/dev/zero', 'password', 'FILE_TOO_LARGE'],
    ['a folder', async () => path.join(dir, 'in'), 'password', 'FILE_READ_FAILED'],
    ['missing file', async () => path.join(dir, 'nope'), 'password', 'FILE_READ_FAILED'],
    ['invalid UTF-8', () => file('p7', Buffer.from([0xc3, 0x28, 0xa0, 0xa1])), 'password', 'FILE_READ_FAILED'],
    ['UTF-16LE with its BOM', () => file('p8', Buffer.from(`\uFEFF${PASSWORD}`, 'utf16le')), 'password', 'FILE_READ_FAILED'],
    ['password of 1025 characters', () => file('p9', `${'Aa1#'.repeat(256)}A\n`), 'password', 'PASSWORD_TOO_LONG'],
    ['password of 1024 four-byte characters (deliberate success)', () => file('p10', '😀'.repeat(1000)), 'password', '😀'.repeat(1000)],
    ['empty PIN file', () => file('n1', ''), 'pin', 'SECRET_FILE_EMPTY'],
    ['PIN file with only BOM + CRLF', () => file('n2', '\uFEFF\r\n'), 'pin', 'SECRET_FILE_EMPTY'],
    ['empty token file', () => file('t0', ''), 'token', 'SECRET_FILE_EMPTY'],
    ['password file with only a newline', () => file('p0', '\n'), 'password', 'SECRET_FILE_EMPTY'],
    ['password file whose first line is empty, the password below it', () => file('p00', `\n${PASSWORD}\n`), 'password', 'SECRET_FILE_EMPTY'],
    ['BOM + CRLF PIN (deliberate success)', () => file('n3', '\uFEFF123456\r\n'), 'pin', '123456'],
    ['token file with BOM + CRLF (deliberate success)', () => file('t1', `\uFEFF${'A'.repeat(40)}\r\n`), 'token', 'A'.repeat(40)],
  ];
  for (const [name, make, kind, want] of secretCases) {
    it(`${name} → ${want.length > 30 ? 'read' : want}`, async () => {
      const target = await make();
      const isCode = /^[A-Z0-9_]+$/.test(want) && want !== 'A'.repeat(40) && want !== '123456';
      let read: string | undefined;
      await expectCode(async () => (read = await readSecretFile(target, kind)), isCode ? (want as never) : 'OK');
      if (!isCode) expect(read).toBe(want);
    });
  }

  it('standard input over 4 KB → FILE_TOO_LARGE; empty standard input → SECRET_FILE_EMPTY naming it', async () => {
    await expectCode(() => readSecretFile('-', 'token', Readable.from([Buffer.alloc(5000, 0x41)])), 'FILE_TOO_LARGE');
    await expect(readSecretFile('-', 'pin', Readable.from([]))).rejects.toMatchObject({ code: 'SECRET_FILE_EMPTY', detail: 'standard input' });
  });

  it('an empty file is named in the detail; a file that cannot be opened gives the system’s reason first', async () => {
    const empty = await file('named-empty', '\r\n');
    await expect(readSecretFile(empty, 'token')).rejects.toMatchObject({ code: 'SECRET_FILE_EMPTY', detail: empty });
    const missing = path.join(dir, 'not-there');
    await expect(readSecretFile(missing, 'password')).rejects.toMatchObject({ code: 'FILE_READ_FAILED', detail: `ENOENT: ${missing}` });
  });

  it('PINs outside the token’s own bounds never reach it', async () => {
    const bounds = { minPinLen: 4, maxPinLen: 8 };
    await expectCode(async () => checkPin('123', bounds), 'PKCS11_PIN_INVALID');
    await expectCode(async () => checkPin('123456789', bounds), 'PKCS11_PIN_INVALID');
    await expectCode(async () => checkPin('ééééé', bounds), 'PKCS11_PIN_INVALID'); // 10 bytes
    await expectCode(async () => checkPin(undefined, bounds), 'PKCS11_PIN_INVALID');
    await expectCode(async () => checkPin('1234', { minPinLen: 0, maxPinLen: 0 }), 'OK');
    await expectCode(async () => secretFromText('', 'pin'), 'PKCS11_PIN_INVALID');
  });
});

describe('corpus: certificate and key files for Bundle p12', () => {
  let bundles: BundleService;
  let leafPem: string;
  let chainPem: string[];
  let keyPem: string;
  beforeAll(async () => {
    const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
    const key = await generateSoftwareKey();
    const issued = await issueDayCertificate(ca, key);
    leafPem = issued.pem;
    chainPem = [ca.issuing.pem, ca.root.pem];
    keyPem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
    bundles = new BundleService({ ledger: RequestLedger.inDataDir(path.join(dir, 'data')), outputDir: async () => path.join(dir, 'out'), amsChain: async () => [] });
  });

  const leafDer = () => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(leafPem))).getBytes(), 'binary');
  const certCases: [string, () => Promise<string>, string][] = [
    ['empty file', () => file('c1', ''), 'CERT_INVALID'],
    ['plain text', () => file('c2', 'not a certificate'), 'CERT_INVALID'],
    ['PEM cut in half', () => file('c3', leafPem.slice(0, leafPem.length / 2)), 'CERT_INVALID'],
    ['PEM armour only', () => file('c4', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'), 'CERT_INVALID'],
    ['PEM with broken base64', () => file('c5', leafPem.replace(/[A-Za-z]{8}/, '!!!!!!!!')), 'CERT_INVALID'],
    ['DER cut short', async () => file('c6', leafDer().subarray(0, 200)), 'CERT_INVALID'],
    ['random bytes', () => file('c7', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))), 'CERT_INVALID'],
    ['DER length claiming 4 GB', () => file('c8', Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00])), 'CERT_INVALID'],
    ['2 MB file', () => file('c9', Buffer.alloc(2 * 1024 * 1024, 0x41)), 'FILE_READ_FAILED'],
    ['a folder', async () => path.join(dir, 'in'), 'FILE_READ_FAILED'],
    ['/dev/zero', async () => '/dev/zero', 'FILE_READ_FAILED'],
    ['missing file', async () => path.join(dir, 'missing.pem'), 'FILE_READ_FAILED'],
    ['a private key instead of a certificate', async () => file('c10', keyPem), 'CERT_INVALID'],
    ['only the CA certificates', async () => file('c11', chainPem.join('')), 'CERT_KEY_MISMATCH'],
    ['chain with the CA first (deliberate success, sorted)', async () => file('c12', [...chainPem].reverse().join('') + leafPem), 'OK'],
    ['DER certificate (deliberate success)', async () => file('c13', leafDer()), 'OK'],
  ];
  for (const [name, make, want] of certCases) {
    it(`certificate: ${name} → ${want}`, async () => {
      const cert = await make();
      const key = await file(`k-${name.length}`, keyPem);
      const out = path.join(dir, 'out', `${name.replace(/\W+/g, '-')}.p12`);
      const before = snapshot(path.join(dir, 'out'));
      await expectCode(() => bundles.create({ certificatePath: cert, key: { kind: 'file', path: key }, password: PASSWORD, passwordConfirm: PASSWORD, profile: 'compatible', outPath: out }), want as never);
      if (want !== 'OK') expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    });
  }

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const keyCases: [string, () => Promise<string>, string, string?][] = [
    ['empty key file', () => file('k1', ''), 'KEY_INVALID'],
    ['garbage key file', () => file('k2', 'garbage'), 'KEY_INVALID'],
    ['certificate instead of key', () => file('k3', leafPem), 'KEY_INVALID'],
    ['truncated PKCS#8 PEM', async () => file('k4', keyPem.slice(0, 300) + '\n-----END PRIVATE KEY-----\n'), 'KEY_INVALID'],
    ['EC key', () => file('k5', ec), 'CERT_KEY_MISMATCH'],
    ['another RSA key', () => file('k6', otherRsa.export({ type: 'pkcs8', format: 'pem' }) as string), 'CERT_KEY_MISMATCH'],
    ['encrypted key without its password', () => file('k7', otherRsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }) as string), 'KEY_PASSWORD_NEEDED'],
    ['encrypted key with a wrong password', () => file('k8', otherRsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }) as string), 'KEY_PASSWORD_INCORRECT', 'wrong'],
    ['DER garbage', () => file('k9', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), 'KEY_INVALID'],
  ];
  for (const [name, make, want, keyPassword] of keyCases) {
    it(`key: ${name} → ${want}`, async () => {
      const cert = await file('leaf.pem', leafPem);
      const key = await make();
      const before = snapshot(path.join(dir, 'out'));
      await expectCode(
        () => bundles.create({ certificatePath: cert, key: { kind: 'file', path: key }, ...(keyPassword ? { keyPassword } : {}), password: PASSWORD, passwordConfirm: PASSWORD, profile: 'compatible', outPath: path.join(dir, 'out', 'k.p12') }),
        want as never,
      );
      expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    });
  }
});
