import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { buildPkcs12 } from '../../src-main/services/p12/pkcs12-builder';
import { generateSoftwareKey } from '../../src-main/services/software-key';
import { hasTool, run, tempDir } from '../support/tools';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { issueDayCertificate } from '../support/test-certificate';

const PASS = 'P12#Passphrase2026';
const employee = MAMAN_EMPLOYEE;

let dir: string;
let cleanup: () => Promise<void>;
let p12: Record<'compatible' | 'modern', string>;
let leafPem: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-p12-'));
  const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
  const key = await generateSoftwareKey();
  const issued = await issueDayCertificate(ca, key, employee);
  leafPem = issued.pem;
  const toDer = (pem: string) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary');
  const certificates = [toDer(issued.pem), toDer(ca.issuing.pem), toDer(ca.root.pem)];
  p12 = { compatible: path.join(dir, 'compatible.p12'), modern: path.join(dir, 'modern.p12') };
  for (const profile of ['compatible', 'modern'] as const) {
    await writeFile(p12[profile], await buildPkcs12({ key, certificates, password: PASS, friendlyName: 'MAMAN', profile }));
  }
  await writeFile(path.join(dir, 'root.pem'), ca.root.pem);
});
afterAll(async () => cleanup());

describe('PKCS#12 files', () => {
  it('compatible: 3DES bags, HMAC-SHA1 MAC, read by OpenSSL 3 without -legacy; a wrong passphrase fails', async () => {
    const info = await run('openssl', ['pkcs12', '-info', '-in', p12.compatible, '-passin', `pass:${PASS}`, '-noout']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toContain('MAC: sha1');
    expect(info.stderr).toContain('MAC length: 20, salt length: 8');
    expect(info.stderr).toMatch(/PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    expect(info.stderr).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    expect(info.stderr).not.toMatch(/RC2/);
    const wrong = await run('openssl', ['pkcs12', '-info', '-in', p12.compatible, '-passin', 'pass:wrong', '-noout']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/mac verify/i);
  });

  it('modern: PBES2 with PBKDF2-SHA256 and AES-256-CBC, SHA-256 MAC', async () => {
    const info = await run('openssl', ['pkcs12', '-info', '-in', p12.modern, '-passin', `pass:${PASS}`, '-noout']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toContain('MAC: sha256');
    expect(info.stderr).toContain('MAC length: 32, salt length: 16');
    expect(info.stderr).toMatch(/PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
  });

  it('holds key, leaf first then chain, with localKeyID and friendlyName on key and leaf', async () => {
    const out = await run('openssl', ['pkcs12', '-in', p12.compatible, '-passin', `pass:${PASS}`, '-passout', 'pass:x', '-info']);
    expect(out.code, out.stderr).toBe(0);
    const certs = [...out.stdout.matchAll(/subject=([^\n]+)/g)].map((m) => m[1]);
    expect(certs[0]).toContain('CN = MAMAN');
    expect(certs[1]).toContain('Mock Issuing CA');
    expect(certs[2]).toContain('Mock Root CA');
    const localKeyIds = [...out.stdout.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1]!.trim());
    expect(localKeyIds).toHaveLength(2);
    expect(localKeyIds[0]).toBe(localKeyIds[1]);
    expect(out.stdout.match(/friendlyName: MAMAN/g)).toHaveLength(2);
    // The key in the file belongs to the leaf.
    const keyPem = /-----BEGIN ENCRYPTED PRIVATE KEY-----[\s\S]+?-----END ENCRYPTED PRIVATE KEY-----/.exec(out.stdout)![0];
    await writeFile(path.join(dir, 'out.key'), keyPem);
    const pub = await run('openssl', ['pkey', '-in', path.join(dir, 'out.key'), '-passin', 'pass:x', '-pubout']);
    expect(pub.stdout).toBe(new X509Certificate(leafPem).publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it.runIf(hasTool('pk12util'))('imports into a fresh NSS database with pk12util', async () => {
    const nss = path.join(dir, 'nssdb');
    await run('mkdir', ['-p', nss]);
    expect((await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password'])).code).toBe(0);
    for (const profile of ['compatible', 'modern'] as const) {
      const imported = await run('pk12util', ['-i', p12[profile], '-d', `sql:${nss}`, '-W', PASS, '-K', '']);
      expect(imported.code, `${profile}: ${imported.stderr}${imported.stdout}`).toBe(0);
      expect(imported.stdout).toContain('PKCS12 IMPORT SUCCESSFUL');
    }
    const keys = await run('certutil', ['-K', '-d', `sql:${nss}`]);
    expect(keys.stdout).toContain('MAMAN');
  });
});
