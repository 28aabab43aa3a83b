import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { BundleService } from '../../src-main/services/bundle-service';
import { CertificateService } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import type { StoredEntry } from '../../src-main/services/request-ledger';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain, startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';
import { storedEntry } from '../support/stored-entry';
import { run } from '../support/tools';

// Where a bundle's chain comes from when the certificate file has none, and which keys bundle.keys lists.
const MAMAN = 'maman@instansi.go.id';
const P = 'Bundle#Pass2026';
let flow: Flow;
let downloaded: { entry: StoredEntry; pem: string; der: string; key: string };
let pending: StoredEntry;

beforeAll(async () => {
  flow = await startFlow();
  const vault = await TokenVault.open(async () => memoryKeychain());
  const outputDir = path.join(flow.dataDir, '..', 'out');
  const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens: new TokenService(new InProcessTransport()), amsFor: (s) => new AmsClient(s), outputDir: async () => outputDir });
  const first = await flow.mock.mintToken(MAMAN);
  const { entry } = await flow.service.submit({ token: first.token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
  await vault.set(entry.id, first.token);
  const { files } = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
  const der = path.join(flow.dataDir, 'alone.cer');
  await run('openssl', ['x509', '-in', files.pem, '-outform', 'DER', '-out', der]);
  downloaded = { entry: (await flow.ledger.get(entry.id))!, pem: files.pem, der, key: (await flow.ledger.get(entry.id))!.keyPath! };
  // A second request, sent but not issued: no certificate, no chain.
  flow.mock.settings.autoApprove = false;
  const second = await flow.mock.mintToken(MAMAN);
  pending = (await flow.ledger.get((await flow.service.submit({ token: second.token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD })).entry.id))!;
  // A token key's entry: never offered for a file bundle.
  const tokenEntry = {
    ...storedEntry('on-token', 'C'.repeat(40), flow.mock.url),
    keyStore: 'pkcs11',
    keyPath: undefined,
    pkcs11: { library: '/usr/lib/softhsm/libsofthsm2.so', keyId: 'ab01', modulus: 'AQID', label: 'LOCK t' },
    token: { serial: '0001', label: 'T' },
  } as unknown as StoredEntry;
  await flow.ledger.claim(flow.mock.url, 'C'.repeat(40), { id: 'on-token' }, async () => {});
  await flow.ledger.complete(tokenEntry);
});
afterAll(async () => flow.cleanup());

const certsIn = async (p12: string) => (await run('openssl', ['pkcs12', '-in', p12, '-passin', `pass:${P}`, '-nokeys'])).stdout.match(/BEGIN CERTIFICATE/g)?.length;

describe('bundle.keys', () => {
  it('lists the file keys only, with the serial of those issued; marks the one for a given certificate', async () => {
    const bundles = new BundleService({ ledger: flow.ledger, outputDir: async () => flow.dataDir, amsChain: async () => [] });
    const listed = await bundles.keys(downloaded.pem);
    expect(listed.map((k) => k.entryId).sort()).toEqual([downloaded.entry.id, pending.id].sort());
    const serial = downloaded.entry.certificate!.serialNumber.toUpperCase();
    expect(listed.find((k) => k.entryId === downloaded.entry.id)).toMatchObject({ serialNumber: serial, matchesCertificate: true });
    const notIssued = listed.find((k) => k.entryId === pending.id)!;
    expect(notIssued).toMatchObject({ matchesCertificate: false });
    expect(notIssued).not.toHaveProperty('serialNumber');
  });
});

describe('bundle.create, the certificate alone in its file', () => {
  const base = { password: P, passwordConfirm: P, profile: 'compatible' as const };

  it('AMS out of reach: the chain comes from the CA certificates downloads kept; unreadable ones are skipped', async () => {
    const ledger = {
      // One entry's kept chain has a damaged PEM beside the real ones; the pending entry has no chain at all.
      list: async () => (await flow.ledger.list()).map((e) => (e.id === downloaded.entry.id ? { ...e, chainPem: ['-----BEGIN CERTIFICATE-----\nZGFtYWdlZA==\n-----END CERTIFICATE-----\n', ...(e.chainPem ?? [])] } : e)),
      get: (id: string) => flow.ledger.get(id),
    };
    const bundles = new BundleService({ ledger, outputDir: async () => flow.dataDir, amsChain: async () => Promise.reject(new Error('offline')) });
    const out = path.join(flow.dataDir, 'from-ledger.p12');
    const made = await bundles.create({ ...base, certificatePath: downloaded.der, key: { kind: 'stored', entryId: downloaded.entry.id }, keyPassword: STRONG_PASSWORD, outPath: out });
    expect(made.chainLength).toBe(2);
    expect(await certsIn(out)).toBe(3);
  });

  it('nothing kept, AMS reachable: the chain from AMS', async () => {
    const ledger = { list: async () => [], get: (id: string) => flow.ledger.get(id) };
    const bundles = new BundleService({ ledger, outputDir: async () => flow.dataDir, amsChain: async () => [downloaded.entry.chainPem!.join('')] });
    const out = path.join(flow.dataDir, 'from-ams.p12');
    expect((await bundles.create({ ...base, certificatePath: downloaded.der, key: { kind: 'stored', entryId: downloaded.entry.id }, keyPassword: STRONG_PASSWORD, outPath: out })).chainLength).toBe(2);
    expect(await certsIn(out)).toBe(3);
  });

  it('the certificate with its issuing CA in the file, nothing kept, AMS out of reach: both, from the file', async () => {
    const leaf = new X509Certificate(await readFile(downloaded.der));
    const issuing = downloaded.entry.chainPem!.find((pem) => new X509Certificate(pem).subject === leaf.issuer)!;
    const file = path.join(flow.dataDir, 'with-issuer.pem');
    await writeFile(file, `${leaf.toString()}${issuing}`);
    const ledger = { list: async () => [], get: (id: string) => flow.ledger.get(id) };
    const bundles = new BundleService({ ledger, outputDir: async () => flow.dataDir, amsChain: async () => Promise.reject(new Error('offline')) });
    const out = path.join(flow.dataDir, 'with-issuer.p12');
    expect((await bundles.create({ ...base, certificatePath: file, key: { kind: 'stored', entryId: downloaded.entry.id }, keyPassword: STRONG_PASSWORD, outPath: out })).chainLength).toBe(1);
    expect(await certsIn(out)).toBe(2);
  });

  it('nothing kept and AMS out of reach: the certificate alone', async () => {
    const ledger = { list: async () => [], get: (id: string) => flow.ledger.get(id) };
    const bundles = new BundleService({ ledger, outputDir: async () => flow.dataDir, amsChain: async () => Promise.reject(new Error('offline')) });
    const out = path.join(flow.dataDir, 'alone.p12');
    expect((await bundles.create({ ...base, certificatePath: downloaded.der, key: { kind: 'stored', entryId: downloaded.entry.id }, keyPassword: STRONG_PASSWORD, outPath: out })).chainLength).toBe(0);
    expect(await certsIn(out)).toBe(1);
    // The key file is the one the request made.
    expect((await readFile(downloaded.key, 'utf8')).startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
  });
});

describe('bundle.create: where the chain stops', () => {
  const base = { password: P, passwordConfirm: P, profile: 'compatible' as const };
  const forgeKeys = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, forge: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) };
  };
  /** A certificate for `subjectKey`'s public key, named `subject`, issued by `issuer` with `signingKey`. */
  const certificate = (subject: string, issuer: string, subjectKey: forge.pki.rsa.PrivateKey, signingKey: forge.pki.rsa.PrivateKey, serial: string) => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(subjectKey.n, subjectKey.e);
    cert.serialNumber = serial;
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ shortName: 'CN', value: subject }]);
    cert.setIssuer([{ shortName: 'CN', value: issuer }]);
    cert.setExtensions([{ name: 'basicConstraints', cA: subject !== 'MAMAN' }]);
    cert.sign(signingKey, forge.md.sha256.create());
    return forge.pki.certificateToPem(cert);
  };
  const bundle = async (name: string, leafPem: string, keyPem: string, amsChain: string[]) => {
    const keyFile = path.join(flow.dataDir, `${name}.key`);
    const certFile = path.join(flow.dataDir, `${name}.pem`);
    await writeFile(keyFile, keyPem);
    await writeFile(certFile, leafPem);
    const bundles = new BundleService({ ledger: { list: async () => [], get: async () => undefined }, outputDir: async () => flow.dataDir, amsChain: async () => amsChain });
    return bundles.create({ ...base, certificatePath: certFile, key: { kind: 'file', path: keyFile }, outPath: path.join(flow.dataDir, `${name}.p12`) });
  };

  it('a certificate signed with its own key but naming another issuer is no root: its issuer is looked for', async () => {
    const k = forgeKeys();
    const ca = certificate('Odd CA', 'Odd CA', k.forge, k.forge, '01');
    const leaf = certificate('MAMAN', 'Odd CA', k.forge, k.forge, '02');
    expect((await bundle('own-key', leaf, k.pem, [ca])).chainLength).toBe(1);
  });
});

