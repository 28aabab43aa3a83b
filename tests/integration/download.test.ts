import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { BundleService } from '../../src-main/services/bundle-service';
import { CertificateService } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { TokenVault } from '../../src-main/services/token-vault';
import { subjectKeyIdentifier } from '../../src-main/services/x509-parts';
import { memoryKeychain, startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';
import { USER_PIN, useSoftHsmFlow } from '../support/softhsm';
import { hasTool, run } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';
const fixtureCn = (flow: Flow, which: 'issuing' | 'root') => String(flow.mock.ca[which].cert.subject.getField('CN').value);

async function services(flow: Flow, tokens = new TokenService(new InProcessTransport())) {
  const outputDir = path.join(flow.dataDir, '..', 'Documents', 'LOCK Desktop');
  const vault = await TokenVault.open(async () => memoryKeychain());
  const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => outputDir });
  const bundles = new BundleService({ ledger: flow.ledger, outputDir: async () => outputDir, amsChain: async () => [await (await fetch(`${flow.mock.url}/ca/chain.pem`)).text()] });
  return { certificates, bundles, vault, outputDir, tokens };
}

describe('download with a file key', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await startFlow({ autoApprove: false });
  });
  afterAll(async () => flow.cleanup());

  it('shows the status until issued; then .pem and .p12 that openssl and NSS accept', async () => {
    const { certificates, vault, outputDir } = await services(flow);
    const { token } = await flow.mock.mintToken(MAMAN);
    const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    await vault.set(entry.id, token);

    // Not issued yet: the status, no download.
    expect((await certificates.refresh())[0]).toMatchObject({ amsStatus: 'csr_uploaded', tokenKnown: true });
    await expect(certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'CERT_NOT_ISSUED' });

    // The verifier approves (issue happens in the mock).
    const request = flow.mock.store.findRequestByToken(token)!;
    await flow.mock.approve(request.id);
    expect((await certificates.refresh())[0]).toMatchObject({ amsStatus: 'issued' });

    await expect(certificates.download({ entryId: entry.id, keyStore: 'file', password: 'Wrong#Password1' })).rejects.toMatchObject({ code: 'KEY_PASSWORD_INCORRECT' });
    expect(existsSync(outputDir)).toBe(false);

    const steps: string[] = [];
    const result = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD }, (p) => steps.push(p.step));
    expect(steps).toEqual(['fetch', 'verify', 'write', 'done']);
    expect(result).toMatchObject({ onToken: false, selfTest: 'passed', realUse: { chain: 'verified', revocation: 'good', via: 'ocsp' }, entry: { state: 'downloaded' } });
    expect(path.basename(result.files.pem)).toMatch(/^MAMAN_[0-9A-F]{16}\.pem$/);

    const chainFile = path.join(flow.dataDir, 'chain.pem');
    await writeFile(chainFile, await (await fetch(`${flow.mock.url}/ca/chain.pem`)).text());
    const verified = await run('openssl', ['verify', '-CAfile', chainFile, result.files.pem]);
    expect(verified.stdout).toContain(': OK');
    // Leaf then chain, like the token's .pem: the file alone reaches a trusted root.
    const pemText = readFileSync(result.files.pem, 'utf8');
    const blocks = pemText.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
    expect(blocks.join('')).toBe(pemText);
    expect(blocks.map((b) => new X509Certificate(b).subject.match(/CN=(.+)/)?.[1])).toEqual(['MAMAN', fixtureCn(flow, 'issuing'), fixtureCn(flow, 'root')]);
    const rootFile = path.join(flow.dataDir, 'root-only.pem');
    await writeFile(rootFile, flow.mock.ca.root.pem);
    const alone = await run('openssl', ['verify', '-CAfile', rootFile, '-untrusted', result.files.pem, result.files.pem]);
    expect(alone.stdout + alone.stderr).toContain(': OK');
    const subject = await run('openssl', ['x509', '-in', result.files.pem, '-noout', '-subject', '-nameopt', 'RFC2253']);
    expect(subject.stdout).toContain('CN=MAMAN,OU=BIDANG OPERASIONAL,O=NAMA INSTANSI,L=Jakarta Pusat,ST=DKI Jakarta,C=ID');

    const info = await run('openssl', ['pkcs12', '-info', '-noout', '-in', result.files.p12!, '-passin', `pass:${STRONG_PASSWORD}`]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    expect((await run('openssl', ['pkcs12', '-info', '-noout', '-in', result.files.p12!, '-passin', 'pass:nope'])).code).not.toBe(0);
    const certs = await run('openssl', ['pkcs12', '-in', result.files.p12!, '-passin', `pass:${STRONG_PASSWORD}`, '-nokeys']);
    expect(certs.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);

    // Again: the same certificate replaces its own files (same names, one copy), atomically.
    const firstPem = readFileSync(result.files.pem, 'utf8');
    const again = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(again.files).toEqual(result.files);
    expect(readFileSync(again.files.pem, 'utf8')).toBe(firstPem);
    expect((await run('openssl', ['pkcs12', '-info', '-noout', '-in', again.files.p12!, '-passin', `pass:${STRONG_PASSWORD}`])).code).toBe(0);
    expect((await readdir(outputDir)).sort()).toEqual([path.basename(result.files.p12!), path.basename(result.files.pem)].sort());

    // A file at that name that no longer holds this certificate is never replaced: the new set gets " (2)".
    await writeFile(result.files.pem, 'my own notes\n');
    const third = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(path.basename(third.files.pem)).toMatch(/ \(2\)\.pem$/);
    expect(readFileSync(result.files.pem, 'utf8')).toBe('my own notes\n');
    expect(await readdir(outputDir)).toHaveLength(4);

    // The same for the .p12: one the user changed since (re-exported, another file copied over it) is kept.
    const mine = Buffer.from('a .p12 the user made\n');
    await writeFile(third.files.p12!, mine);
    const fourth = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(path.basename(fourth.files.p12!)).toMatch(/ \(3\)\.p12$/);
    expect(readFileSync(third.files.p12!)).toEqual(mine);
    expect(await readdir(outputDir)).toHaveLength(6);
    // Unchanged since the last download: replaced in place again.
    const fifth = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    expect(fifth.files).toEqual(fourth.files);
    expect(await readdir(outputDir)).toHaveLength(6);
  });

  it.runIf(hasTool('pk12util'))('the downloaded .p12 imports into a fresh NSS database', async () => {
    const { certificates, vault } = await services(flow);
    const { token } = await flow.mock.mintToken(MAMAN);
    const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    await vault.set(entry.id, token);
    await flow.mock.approve(flow.mock.store.findRequestByToken(token)!.id);
    const { files } = await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD });
    const nss = path.join(flow.dataDir, 'nss');
    await run('mkdir', ['-p', nss]);
    await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    const imported = await run('pk12util', ['-i', files.p12!, '-d', `sql:${nss}`, '-W', STRONG_PASSWORD, '-K', '']);
    expect(imported.stdout).toContain('PKCS12 IMPORT SUCCESSFUL');
  });

  it('a certificate that is not for this key is refused before anything is written', async () => {
    const { certificates, vault, outputDir } = await services(flow);
    const made = [];
    for (let i = 0; i < 2; i++) {
      const { token } = await flow.mock.mintToken(MAMAN);
      const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
      await vault.set(entry.id, token);
      await flow.mock.approve(flow.mock.store.findRequestByToken(token)!.id);
      made.push({ entry, request: flow.mock.store.findRequestByToken(token)! });
    }
    // AMS answers with the other request's certificate.
    flow.mock.store.putRequest({ ...made[0]!.request, certificate: made[1]!.request.certificate! });
    const before = existsSync(outputDir) ? (await readdir(outputDir)).length : 0;
    await expect(certificates.download({ entryId: made[0]!.entry.id, keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'CERT_KEY_MISMATCH' });
    expect(existsSync(outputDir) ? (await readdir(outputDir)).length : 0).toBe(before);
    expect((await flow.ledger.get(made[0]!.entry.id))!.state).not.toBe('downloaded');
  });

  it('a pasted token finds its request; an unknown one says so; a forgotten token asks for it', async () => {
    const { certificates } = await services(flow);
    const { token } = await flow.mock.mintToken(MAMAN);
    const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    // This vault never saw the token.
    await expect(certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD })).rejects.toMatchObject({ code: 'TOKEN_NEEDED' });
    expect(await certificates.findByToken(` "${token}" `, flow.mock.url)).toMatchObject({ id: entry.id, tokenKnown: true });
    await expect(certificates.findByToken('F'.repeat(40), flow.mock.url)).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });
  });
});

describe('download with a token key (SoftHSM2)', () => {
  const fixture = useSoftHsmFlow();

  it('writes the certificate onto the token beside its key (same ID and label) and the .pem to the folder', async () => {
    const tokens = new TokenService(new InProcessTransport());
    const { certificates, vault } = await services(fixture.flow, tokens);
    const [token] = await tokens.listTokens(fixture.hsm.library);
    const { token: amsToken } = await fixture.flow.mock.mintToken(MAMAN);
    const { entry } = await fixture.flow.service.submit({ token: amsToken, keyStore: 'pkcs11', library: fixture.hsm.library, tokenSerial: token!.serial, pin: USER_PIN });
    await vault.set(entry.id, amsToken);

    expect(await certificates.keyToken(entry.id)).toMatchObject({ token: { serial: token!.serial } });
    await expect(certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: '000000' })).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    const result = await certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: USER_PIN });
    expect(result).toMatchObject({ onToken: true, selfTest: 'passed', realUse: { chain: 'verified', revocation: 'good', via: 'ocsp' } });
    expect(result.files.p12).toBeUndefined();

    const listed = await run('pkcs11-tool', ['--module', fixture.hsm.library, '--login', '--pin', USER_PIN, '--list-objects'], { env: { ...process.env, SOFTHSM2_CONF: fixture.hsm.conf } });
    const blocks = listed.stdout.split(/\n(?=\S)/);
    const certBlock = blocks.find((b) => b.startsWith('Certificate Object') && /CN=MAMAN/.test(b))!;
    const keyBlock = blocks.find((b) => b.startsWith('Private Key Object'))!;
    const id = (block: string) => /ID:\s+([0-9a-f]+)/.exec(block)?.[1];
    const label = (block: string) => /label:\s+(.+)/.exec(block)?.[1];
    expect(id(certBlock)).toBe(id(keyBlock));
    expect(label(certBlock)).toBe(label(keyBlock));
    expect(certBlock).toMatch(/subject:\s+DN: .*CN=MAMAN/);
    // The chain goes with it: each CA certificate under its own name, CKA_ID = its subject key identifier.
    for (const ca of [fixture.flow.mock.ca.issuing, fixture.flow.mock.ca.root]) {
      const caBlock = blocks.find((b) => b.startsWith('Certificate Object') && b.includes(`label:      ${ca.cert.subject.getField('CN').value}`));
      expect(caBlock, String(ca.cert.subject.getField('CN').value)).toBeDefined();
      expect(id(caBlock!)).toBe(subjectKeyIdentifier(new X509Certificate(ca.pem)));
    }
    expect(readFileSync(result.files.pem, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(3);

    // A second download does not add a second certificate object.
    await certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: USER_PIN });
    const again = await run('pkcs11-tool', ['--module', fixture.hsm.library, '--list-objects', '--type', 'cert'], { env: { ...process.env, SOFTHSM2_CONF: fixture.hsm.conf } });
    expect(again.stdout.match(/Certificate Object/g)).toHaveLength(3);
    await tokens.close();
  });
});

describe('refresh and status look-up', () => {
  let flow: Flow;
  afterAll(async () => flow.cleanup());

  it('says for every entry whether its token is kept, final entries (rejected) included, without the token', async () => {
    flow = await startFlow({ autoApprove: false });
    const { certificates, vault } = await services(flow);
    const submit = async () => {
      const { token } = await flow.mock.mintToken(MAMAN);
      return { token, ...(await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD })) };
    };
    const kept = await submit();
    await vault.set(kept.entry.id, kept.token);
    const finalWithoutToken = await submit();
    const pendingWithoutToken = await submit();
    await flow.mock.reject(flow.mock.store.findRequestByToken(kept.token)!.id, 'Data tidak lengkap');
    await flow.ledger.update(finalWithoutToken.entry.id, () => ({ amsStatus: 'rejected' }));

    for (let round = 0; round < 2; round++) {
      // Round 1 asks AMS about the kept one and learns it was rejected; round 2 takes it as final.
      const byId = new Map((await certificates.refresh()).map((e) => [e.id, e]));
      expect(byId.get(kept.entry.id), `round ${round}`).toMatchObject({ amsStatus: 'rejected', tokenKnown: true });
      expect(byId.get(finalWithoutToken.entry.id), `round ${round}`).toMatchObject({ amsStatus: 'rejected', tokenKnown: false });
      expect(byId.get(pendingWithoutToken.entry.id), `round ${round}`).toMatchObject({ amsStatus: 'csr_uploaded', tokenKnown: false });
    }
  });

  it('a status look-up with a pasted token records AMS’s new status in the ledger, and only then', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    expect((await flow.service.status(token)).status).toBe('csr_uploaded');
    const unchanged = (await flow.ledger.get(entry.id))!;
    expect([unchanged.amsStatus, unchanged.updatedAt]).toEqual(['csr_uploaded', entry.updatedAt]);
    await flow.mock.reject(flow.mock.store.findRequestByToken(token)!.id, 'Data tidak lengkap');
    expect((await flow.service.status(token)).status).toBe('rejected');
    expect((await flow.ledger.get(entry.id))!.amsStatus).toBe('rejected');
  });
});

describe('bundle p12', () => {
  let flow: Flow;
  afterEach(async () => flow.cleanup());

  it('bundles a downloaded .pem with a stored key or a PEM file; refuses mismatches, bad passwords and broken files', async () => {
    flow = await startFlow();
    const { certificates, bundles, vault, outputDir } = await services(flow);
    const made = [];
    for (let i = 0; i < 2; i++) {
      const { token } = await flow.mock.mintToken(MAMAN);
      const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
      await vault.set(entry.id, token);
      made.push({ entry, download: await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD }) });
    }
    const [first, second] = made;
    const P = 'Bundle#Pass2026';
    const base = { password: P, passwordConfirm: P, profile: 'compatible' as const };

    expect(await bundles.keys()).toHaveLength(2);
    const stored = await bundles.create({ ...base, certificatePath: first!.download.files.pem, key: { kind: 'stored', entryId: first!.entry.id }, keyPassword: STRONG_PASSWORD });
    expect(stored.chainLength).toBe(2);
    // Beside the download's own .p12 of the same name, so numbered.
    expect(path.basename(stored.p12Path)).toMatch(/^MAMAN_[0-9A-F]{16} \(2\)\.p12$/);
    const info = await run('openssl', ['pkcs12', '-info', '-noout', '-in', stored.p12Path, '-passin', `pass:${P}`]);
    expect(info.code, info.stderr).toBe(0);

    // The downloaded .pem holds the chain up to the root: neither the ledger's CA certificates nor AMS are read.
    const asked: string[] = [];
    const offline = new BundleService({
      ledger: { list: async () => (asked.push('ledger'), flow.ledger.list()), get: (id) => flow.ledger.get(id) },
      outputDir: async () => outputDir,
      amsChain: async () => (asked.push('AMS'), []),
    });
    const whole = await offline.create({ ...base, certificatePath: first!.download.files.pem, key: { kind: 'stored', entryId: first!.entry.id }, keyPassword: STRONG_PASSWORD, outPath: path.join(flow.dataDir, 'whole.p12') });
    expect(whole.chainLength).toBe(2);
    expect(asked).toEqual([]);

    // A key file from elsewhere: unencrypted PEM, and the certificate as DER.
    const keyPem = path.join(flow.dataDir, 'plain.key.pem');
    await run('openssl', ['pkey', '-in', (await flow.ledger.get(second!.entry.id))!.keyPath!, '-passin', `pass:${STRONG_PASSWORD}`, '-out', keyPem]);
    const certDer = path.join(flow.dataDir, 'cert.cer');
    await run('openssl', ['x509', '-in', second!.download.files.pem, '-outform', 'DER', '-out', certDer]);
    const out = path.join(flow.dataDir, 'out.p12');
    const external = await bundles.create({ ...base, profile: 'modern', certificatePath: certDer, key: { kind: 'file', path: keyPem }, outPath: out });
    expect(external.p12Path).toBe(out);
    // The DER file holds the certificate alone: its chain comes from the ledger and AMS.
    expect(external.chainLength).toBe(2);
    expect((await run('openssl', ['pkcs12', '-info', '-noout', '-in', out, '-passin', `pass:${P}`])).stderr).toContain('MAC: sha256');
    await expect(bundles.create({ ...base, certificatePath: certDer, key: { kind: 'file', path: keyPem }, outPath: out })).rejects.toMatchObject({ code: 'FILE_EXISTS', detail: out });
    // Any other write failure is reported as itself, coded, not as an existing file.
    const underAFile = path.join(keyPem, 'out.p12');
    await expect(bundles.create({ ...base, certificatePath: certDer, key: { kind: 'file', path: keyPem }, outPath: underAFile })).rejects.toMatchObject({
      code: 'FILE_WRITE_FAILED',
      detail: `ENOTDIR: ${underAFile}`,
    });

    const before = (await readdir(outputDir)).length;
    const garbage = path.join(flow.dataDir, 'garbage.pem');
    await writeFile(garbage, 'not a certificate');
    const cases: [Parameters<BundleService['create']>[0], string][] = [
      [{ ...base, certificatePath: first!.download.files.pem, key: { kind: 'file', path: keyPem } }, 'CERT_KEY_MISMATCH'],
      [{ ...base, certificatePath: first!.download.files.pem, key: { kind: 'stored', entryId: first!.entry.id }, keyPassword: 'wrong' }, 'KEY_PASSWORD_INCORRECT'],
      [{ ...base, certificatePath: first!.download.files.pem, key: { kind: 'stored', entryId: first!.entry.id } }, 'KEY_PASSWORD_NEEDED'],
      [{ ...base, certificatePath: garbage, key: { kind: 'file', path: keyPem } }, 'CERT_INVALID'],
      [{ ...base, certificatePath: second!.download.files.pem, key: { kind: 'file', path: garbage } }, 'KEY_INVALID'],
      [{ ...base, certificatePath: path.join(flow.dataDir, 'missing.pem'), key: { kind: 'file', path: keyPem } }, 'FILE_READ_FAILED'],
      [{ ...base, passwordConfirm: 'other', certificatePath: second!.download.files.pem, key: { kind: 'file', path: keyPem } }, 'PASSWORD_MISMATCH'],
      [{ ...base, password: 'weak', passwordConfirm: 'weak', certificatePath: second!.download.files.pem, key: { kind: 'file', path: keyPem } }, 'PASSWORD_WEAK'],
    ];
    for (const [input, code] of cases) await expect(bundles.create(input), code).rejects.toMatchObject({ code });
    expect((await readdir(outputDir)).length).toBe(before);
  });

  it('lists only file keys, newest first, marking the one issued for a given certificate; a stored key must exist and be a file', async () => {
    flow = await startFlow();
    const { certificates, bundles, vault } = await services(flow);
    const made = [];
    for (let i = 0; i < 2; i++) {
      const { token } = await flow.mock.mintToken(MAMAN);
      const { entry } = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
      await vault.set(entry.id, token);
      made.push({ entry, download: await certificates.download({ entryId: entry.id, keyStore: 'file', password: STRONG_PASSWORD }) });
    }
    const [first, second] = made;
    const serialOf = (pem: string) => new X509Certificate(readFileSync(pem)).serialNumber.toUpperCase();
    const keys = await bundles.keys(second!.download.files.pem);
    expect(keys.map((k) => [k.entryId, k.serialNumber, k.matchesCertificate])).toEqual([
      [second!.entry.id, serialOf(second!.download.files.pem), true],
      [first!.entry.id, serialOf(first!.download.files.pem), false],
    ]);
    expect(keys[0]).toMatchObject({ name: 'MAMAN', product: second!.entry.product, createdAt: second!.entry.createdAt });
    // Without a certificate, or with one that cannot be read, nothing is marked.
    for (const listed of [await bundles.keys(), await bundles.keys(path.join(flow.dataDir, 'missing.pem'))]) {
      expect(listed.map((k) => k.entryId)).toEqual([second!.entry.id, first!.entry.id]);
      expect(listed.every((k) => !('matchesCertificate' in k))).toBe(true);
    }
    const P = 'Bundle#Pass2026';
    const storedKey = (entryId: string) =>
      bundles.create({ password: P, passwordConfirm: P, profile: 'compatible', certificatePath: first!.download.files.pem, key: { kind: 'stored', entryId }, keyPassword: STRONG_PASSWORD });
    await expect(storedKey('no-such-entry')).rejects.toMatchObject({ code: 'REQUEST_NOT_FOUND' });

    // A key on a token, or a file entry whose key file is not recorded, is not offered (and cannot be bundled).
    await flow.ledger.update(first!.entry.id, () => ({ keyStore: 'pkcs11', keyPath: undefined }));
    expect((await bundles.keys()).map((k) => k.entryId)).toEqual([second!.entry.id]);
    await expect(storedKey(first!.entry.id)).rejects.toMatchObject({ code: 'KEY_ON_TOKEN' });
    await flow.ledger.update(first!.entry.id, () => ({ keyStore: 'file', keyPath: undefined }));
    expect((await bundles.keys()).map((k) => k.entryId)).toEqual([second!.entry.id]);
  });
});
