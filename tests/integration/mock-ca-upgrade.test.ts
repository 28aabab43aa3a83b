import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { run, tempDir } from '../support/tools';

// The mock CA's issuing certificate brought up to date on start (TestCa.useBaseUrl), read back by openssl.
const BASE_URL = 'http://127.0.0.1:18443';
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-ca-upgrade-'));
});
afterAll(async () => cleanup());

const issuingText = async (caDir: string) => (await run('openssl', ['x509', '-in', path.join(caDir, 'issuing.pem'), '-noout', '-text'])).stdout;

describe('the issuing CA certificate on start', () => {
  it('one that is up to date is left as it is', async () => {
    const caDir = path.join(dir, 'current');
    await (await TestCa.openOrCreate(caDir, new Date())).useBaseUrl(BASE_URL, new Date());
    const before = await readFile(path.join(caDir, 'issuing.pem'), 'utf8');
    await (await TestCa.openOrCreate(caDir, new Date())).useBaseUrl(BASE_URL, new Date());
    expect(await readFile(path.join(caDir, 'issuing.pem'), 'utf8')).toBe(before);
  });

  it('one with the URLs but without certificatePolicies is re-certified with them: same key and subject', async () => {
    const caDir = path.join(dir, 'no-policies');
    const ca = await TestCa.openOrCreate(caDir, new Date());
    await ca.useBaseUrl(BASE_URL, new Date());
    // What a version before the policies left: the same certificate without that extension, signed by the root.
    const cert = forge.pki.certificateFromPem(ca.issuing.pem);
    cert.setExtensions(cert.extensions.filter((e: { name: string }) => e.name !== 'certificatePolicies'));
    cert.sign(forge.pki.privateKeyFromPem(await readFile(path.join(caDir, 'root.key.pem'), 'utf8')) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    await writeFile(path.join(caDir, 'issuing.pem'), forge.pki.certificateToPem(cert));
    const stripped = await issuingText(caDir);
    expect(stripped).not.toContain('X509v3 Certificate Policies');
    expect(stripped).toContain(`${BASE_URL}/ca/root.crl`);

    const reopened = await TestCa.openOrCreate(caDir, new Date());
    await reopened.useBaseUrl(BASE_URL, new Date());
    const upgraded = await issuingText(caDir);
    expect(upgraded).toContain('X509v3 Certificate Policies');
    expect(upgraded).toContain(`${BASE_URL}/ca/root.crl`);
    const keyAndSubject = (pem: string) => run('openssl', ['x509', '-noout', '-modulus', '-subject'], { input: pem });
    expect((await keyAndSubject(await readFile(path.join(caDir, 'issuing.pem'), 'utf8'))).stdout).toBe((await keyAndSubject(ca.issuing.pem)).stdout);
    const verified = await run('openssl', ['verify', '-CAfile', path.join(caDir, 'root.pem'), path.join(caDir, 'issuing.pem')]);
    expect(verified.stdout).toContain(': OK');
  });
});
