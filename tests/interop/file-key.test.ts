import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { buildPkcs12 } from '../../src-main/services/p12/pkcs12-builder';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { openKeyFile } from '../../src-main/services/software-key';
import { TokenVault } from '../../src-main/services/token-vault';
import { parseCertificate } from '../../src-main/services/x509-parts';
import { memoryKeychain, startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';
import { run, tempDir } from '../support/tools';
import { fetchCrlPem, MAMAN, minimalPdf, rootOnlyNssDb, urisIn, writeCaFiles } from './interop-support';
import { tool } from './interop-support';

const has = { python: tool('python3', 'python3-cryptography'), pk12util: tool('pk12util', 'libnss3-tools'), keytool: tool('keytool', 'default-jre-headless'), certtool: tool('certtool', 'gnutls-bin'), pdfsig: tool('pdfsig', 'poppler-utils') };

let flow: Flow;
let dir: string;
let cleanup: () => Promise<void>;
let ca: { root: string; issuing: string; chain: string };
const files = { leaf: '', key: '', p12: { compatible: '', modern: '' } };
const PASSWORD = STRONG_PASSWORD;
const env = { ...process.env, P12PASS: PASSWORD };

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-interop-file-'));
  flow = await startFlow();
  ca = await writeCaFiles(flow.mock, dir);
  const vault = await TokenVault.open(async () => memoryKeychain());
  const tokens = new TokenService(new InProcessTransport());
  const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => path.join(dir, 'out') });
  const { token } = await flow.mock.mintToken(MAMAN);
  const { entry } = await flow.service.submit({ token, keyStore: 'file', password: PASSWORD, passwordConfirm: PASSWORD });
  await vault.set(entry.id, token);
  const result = await certificates.download({ entryId: entry.id, keyStore: 'file', password: PASSWORD });
  files.p12.compatible = result.files.p12!;
  files.leaf = result.files.pem;
  const stored = (await flow.ledger.get(entry.id))!;
  const key = await openKeyFile(stored.keyPath!, PASSWORD);
  files.key = path.join(dir, 'key.pem');
  await writeFile(files.key, key.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  const cert = parseCertificate(await readFile(files.leaf));
  const chain = (await readFile(ca.chain, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((p) => parseCertificate(Buffer.from(p)));
  files.p12.modern = path.join(dir, 'modern.p12');
  await writeFile(files.p12.modern, await buildPkcs12({ key, certificates: [cert.raw, ...chain.map((c) => c.raw)], password: PASSWORD, friendlyName: 'MAMAN', profile: 'modern' }));
  await tokens.close();
});
afterAll(async () => {
  await flow.cleanup();
  await cleanup();
});

describe.each(['compatible', 'modern'] as const)('file-key .p12, %s profile, in real consumers', (profile) => {
  it('OpenSSL 3 reads it without -legacy: key and three certificates', async () => {
    const out = await run('openssl', ['pkcs12', '-in', files.p12[profile], '-passin', 'env:P12PASS', '-nodes'], { env });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(out.stdout).toContain('BEGIN PRIVATE KEY');
  });

  it.skipIf(!has.pk12util)('NSS pk12util lists the key and the chain', async () => {
    const out = await run('pk12util', ['-l', files.p12[profile], '-W', PASSWORD]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.match(/^Certificate/gm)?.length).toBeGreaterThanOrEqual(3);
    expect(out.stdout).toMatch(/Key/);
  });

  it.skipIf(!has.keytool)('Java keytool: a PrivateKeyEntry with a chain of 3', async () => {
    const out = await run('keytool', ['-list', '-v', '-keystore', files.p12[profile], '-storetype', 'PKCS12', '-storepass:env', 'P12PASS'], { env });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('Entry type: PrivateKeyEntry');
    expect(out.stdout).toContain('Certificate chain length: 3');
  });

  it.skipIf(!has.python)('Python cryptography loads the key and a chain of 2 CA certificates', async () => {
    const script = 'import os,sys\nfrom cryptography.hazmat.primitives.serialization import pkcs12\nk,c,a=pkcs12.load_key_and_certificates(open(sys.argv[1],"rb").read(),os.environb[b"P12PASS"])\nprint(k.key_size, c.subject.rfc4514_string(), len(a))';
    const out = await run('python3', ['-c', script, files.p12[profile]], { env });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^2048 .*CN=MAMAN.* 2$/m);
  });

  it.skipIf(!has.certtool)('GnuTLS certtool --p12-info reads it', async () => {
    const out = await run('certtool', ['--p12-info', '--inder', '--infile', files.p12[profile], '--password', PASSWORD]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout.match(/BEGIN CERTIFICATE/g)?.length).toBe(3);
    expect(out.stdout).toMatch(/PRIVATE KEY/);
  });
});

describe.skipIf(!has.keytool)('a non-ASCII .p12 passphrase (what the app warns about)', () => {
  it('OpenSSL opens it; Java keytool does not', async () => {
    const accented = 'Kunci#Rahasiaé2026';
    const p12 = path.join(dir, 'accented.p12');
    const out = await run('openssl', ['pkcs12', '-in', files.p12.compatible, '-passin', 'env:P12PASS', '-nodes'], { env });
    const pemFile = path.join(dir, 'all.pem');
    await writeFile(pemFile, out.stdout);
    const accentedEnv = { ...process.env, ACCENTED: accented };
    const made = await run('openssl', ['pkcs12', '-export', '-in', pemFile, '-out', p12, '-passout', 'env:ACCENTED', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'], { env: accentedEnv });
    expect(made.code, made.stderr).toBe(0);
    expect((await run('openssl', ['pkcs12', '-in', p12, '-passin', 'env:ACCENTED', '-noout'], { env: accentedEnv })).code).toBe(0);
    const java = await run('keytool', ['-list', '-keystore', p12, '-storetype', 'PKCS12', '-storepass:env', 'ACCENTED'], { env: accentedEnv });
    expect(java.code).not.toBe(0);
  });
});

describe('S/MIME with OpenSSL, revocation from the certificates’ own CRLs', () => {
  it('cms -sign / -verify -crl_check_all trusting only the root', async () => {
    const message = path.join(dir, 'message.txt');
    await writeFile(message, 'Surat dinas: rapat koordinasi hari Senin.\n');
    const signed = path.join(dir, 'signed.p7m');
    const sign = await run('openssl', ['cms', '-sign', '-in', message, '-signer', files.leaf, '-inkey', files.key, '-certfile', ca.chain, '-out', signed, '-outform', 'DER', '-nodetach']);
    expect(sign.code, sign.stderr).toBe(0);
    // CRLs from the URLs the leaf and the issuing CA name, beside the root in the trust file.
    const leafText = (await run('openssl', ['x509', '-in', files.leaf, '-noout', '-text'])).stdout;
    const issuingText = (await run('openssl', ['x509', '-in', ca.issuing, '-noout', '-text'])).stdout;
    const crls = await Promise.all([...urisIn(leafText, 'crl'), ...urisIn(issuingText, 'crl')].map((url, i) => fetchCrlPem(url, path.join(dir, `cms-crl-${i}.pem`))));
    expect(crls).toHaveLength(2);
    const trust = path.join(dir, 'root-and-crls.pem');
    await writeFile(trust, [await readFile(ca.root, 'utf8'), ...(await Promise.all(crls.map((c) => readFile(c, 'utf8'))))].join(''));
    const verified = await run('openssl', ['cms', '-verify', '-in', signed, '-inform', 'DER', '-CAfile', trust, '-crl_check_all', '-out', path.join(dir, 'verified.txt')]);
    expect(verified.stderr).toContain('Verification successful');
    expect(await readFile(path.join(dir, 'verified.txt'), 'utf8')).toContain('rapat koordinasi');
  });

  it('cms -encrypt to the certificate / -decrypt with the key', async () => {
    const message = path.join(dir, 'secret.txt');
    await writeFile(message, 'Rahasia.\n');
    const encrypted = path.join(dir, 'secret.p7m');
    expect((await run('openssl', ['cms', '-encrypt', '-binary', '-in', message, '-aes256', '-out', encrypted, files.leaf])).code).toBe(0);
    const decrypted = await run('openssl', ['cms', '-decrypt', '-in', encrypted, '-recip', files.leaf, '-inkey', files.key]);
    expect(decrypted.stdout).toBe('Rahasia.\n');
  });
});

describe.skipIf(!has.pdfsig)('PDF signing with the file key (through an NSS database)', () => {
  it('pdfsig -add-signature, then validation trusting only the root: valid and trusted', async () => {
    const signDb = `sql:${path.join(dir, 'nss-sign')}`;
    await run('mkdir', ['-p', path.join(dir, 'nss-sign')]);
    await run('certutil', ['-N', '-d', signDb, '--empty-password']);
    const imported = await run('pk12util', ['-i', files.p12.compatible, '-d', signDb, '-W', PASSWORD]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const nick = (await run('certutil', ['-L', '-d', signDb])).stdout.split('\n').find((l) => /MAMAN/.test(l))!.replace(/\s+u,u,u\s*$/, '').trim();
    const pdf = path.join(dir, 'surat.pdf');
    await writeFile(pdf, minimalPdf());
    const signedPdf = path.join(dir, 'surat-signed.pdf');
    const signed = await run('pdfsig', ['-nssdir', signDb, '-nick', nick, '-add-signature', '-reason', 'interop', pdf, signedPdf]);
    expect(signed.code, signed.stdout + signed.stderr).toBe(0);
    const verifyDb = await rootOnlyNssDb(path.join(dir, 'nss-verify'), ca.root);
    const checked = await run('pdfsig', ['-nssdir', verifyDb, signedPdf]);
    expect(checked.stdout, checked.stderr).toContain('Signature is Valid');
    expect(checked.stdout).toContain('Certificate is Trusted');
  });
});
