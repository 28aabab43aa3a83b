import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, amsPaths } from '../../src/ams-api/schemas';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { AmsClient } from '../../src-main/services/ams-client';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { run, tempDir } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
let mock: MockAms;
let dir: string;
let cleanup: () => Promise<void>;
const realNow = { offset: 0 };

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('lock-mock-'));
  mock = await startMockAms({ dataDir: dir, now: () => new Date(Date.now() + realNow.offset) });
});
afterEach(async () => {
  await mock.close();
  await cleanup();
});

const admin = async (p: string, body: unknown) => {
  const response = await fetch(`${mock.url}${p}`, { method: 'POST', headers: { [ADMIN_KEY_HEADER]: mock.adminKey }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** A LOCK request up to a CSR uploaded by "the app". */
async function uploaded(email = MAMAN) {
  const { token, requestId } = await mock.mintToken(email);
  const client = new AmsClient(mock.url);
  const { employee } = await client.employee(token);
  await client.uploadCsr(token, await buildCsr(employee, softwareSigner(await generateSoftwareKey())));
  return { token, requestId, client };
}

describe('mock AMS lifecycle', () => {
  it('without auto-approval: letter (PDF only) → agreement → submit → verifier → issued', async () => {
    const { token, requestId, client } = await uploaded();
    expect((await client.status(token)).status).toBe('csr_uploaded');
    await expect(mock.core.submit(requestId, MAMAN, true)).rejects.toMatchObject({ message: 'upload the recommendation letter first' });
    await expect(mock.core.uploadLetter(requestId, MAMAN, { bytes: Buffer.from('not a pdf'), name: 'x.pdf' })).rejects.toMatchObject({ status: 415 });
    await expect(mock.core.uploadLetter(requestId, MAMAN, { bytes: Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]), name: 'big.pdf' })).rejects.toMatchObject({ status: 413 });
    await expect(mock.core.uploadLetter(requestId, 'yogi.nur@bssn.go.id', { bytes: PDF, name: 'x.pdf' })).rejects.toMatchObject({ status: 404 });
    await mock.core.uploadLetter(requestId, MAMAN, { bytes: PDF, name: 'surat.pdf' });
    await expect(mock.core.submit(requestId, MAMAN, false)).rejects.toMatchObject({ message: 'the agreement must be accepted' });
    await mock.core.submit(requestId, MAMAN, true);
    expect((await client.status(token)).status).toBe('submitted');
    await expect(client.certificate(token)).rejects.toMatchObject({ code: 'CERT_NOT_ISSUED' });

    const decided = await admin(amsPaths.adminDecisions, { requestId, decision: 'approve', note: 'Disetujui' });
    expect(decided.body).toMatchObject({ status: 'issued', note: 'Disetujui' });
    const request = mock.store.findRequest(requestId)!;
    expect(request).toMatchObject({ verification: { decision: 'approved' }, enrollment: 'success' });
  });

  it('rejection keeps the note; failed enrollment says so', async () => {
    const first = await uploaded();
    await admin(amsPaths.adminDecisions, { requestId: first.requestId, decision: 'reject', note: 'Data tidak sesuai' });
    expect(await first.client.status(first.token)).toMatchObject({ status: 'rejected', note: 'Data tidak sesuai' });

    await admin(amsPaths.adminSettings, { enrollmentFails: true });
    const second = await uploaded();
    await admin(amsPaths.adminDecisions, { requestId: second.requestId, decision: 'approve' });
    expect((await second.client.status(second.token)).status).toBe('enroll_failed');
    expect(mock.store.findRequest(second.requestId)!.enrollment).toBe('failed');
  });

  it('revocation: Revoke in the list, revoked for LOCK, in the CRL that openssl verifies', async () => {
    await admin(amsPaths.adminSettings, { autoApprove: true });
    const { token, requestId, client } = await uploaded();
    const serial = mock.store.findRequest(requestId)!.certificate!.serialNumber;
    expect((await admin(amsPaths.adminRevoke, { serialNumber: serial, reason: 'keyCompromise' })).status).toBe(200);
    expect(mock.core.certificateStatus(mock.store.findRequest(requestId)!.certificate!)).toBe('Revoke');
    expect((await client.status(token)).status).toBe('revoked');
    await expect(client.certificate(token)).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    expect((await admin(amsPaths.adminRevoke, { serialNumber: serial, reason: 'keyCompromise' })).status).toBe(409);
    expect(mock.store.requests().find((r) => r.type === 'revoke')).toMatchObject({ subjectSerial: serial, enrollment: 'success' });

    const crl = path.join(dir, 'issuing.crl');
    await writeFile(crl, Buffer.from(await (await fetch(`${mock.url}${amsPaths.caCrl}`)).arrayBuffer()));
    const issuing = path.join(dir, 'issuing.pem');
    await writeFile(issuing, mock.ca.issuing.pem);
    const text = await run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-text', '-CAfile', issuing]);
    expect(text.stderr + text.stdout).toMatch(/verify OK/);
    expect(text.stdout).toContain(`Serial Number: ${serial}`);
    expect(text.stdout).toMatch(/X509v3 CRL Reason Code:\s+Key Compromise/);
    expect(text.stdout).toContain('X509v3 Authority Key Identifier');

    // The issued certificate points at this CRL and the issuing CA's certificate.
    const leaf = path.join(dir, 'leaf.pem');
    await writeFile(leaf, mock.store.findRequest(requestId)!.certificate!.pem);
    const x509 = await run('openssl', ['x509', '-in', leaf, '-noout', '-text']);
    expect(x509.stdout).toContain(`URI:${mock.url}/ca/issuing.crl`);
    expect(x509.stdout).toContain(`CA Issuers - URI:${mock.url}/ca/issuing.crt`);
    const root = path.join(dir, 'root.pem');
    await writeFile(root, mock.ca.root.pem);
    const revokedCheck = await run('openssl', ['verify', '-crl_check', '-CAfile', root, '-untrusted', issuing, '-CRLfile', crl, leaf]);
    expect(revokedCheck.stdout + revokedCheck.stderr).toMatch(/certificate revoked/);
  });

  it('renewal only from H-30: a new token, the old certificate becomes Renew; expiry makes Expired', async () => {
    await admin(amsPaths.adminSettings, { autoApprove: true });
    const { requestId } = await uploaded();
    const serial = mock.store.findRequest(requestId)!.certificate!.serialNumber;
    await expect(mock.core.renew(serial, MAMAN)).rejects.toMatchObject({ status: 409 });

    await admin(amsPaths.adminClock, { offsetDays: 340 });
    const renewal = await mock.core.renew(serial, MAMAN);
    const client = new AmsClient(mock.url);
    const { employee } = await client.employee(renewal.token);
    await client.uploadCsr(renewal.token, await buildCsr(employee, softwareSigner(await generateSoftwareKey())));
    expect(mock.core.certificateStatus(mock.store.findCertificate(serial)!.certificate)).toBe('Renew');
    const renewed = mock.store.findRequest(renewal.requestId)!;
    expect(renewed).toMatchObject({ type: 'renew', status: 'issued', subjectSerial: serial });
    expect(mock.core.certificateStatus(renewed.certificate!)).toBe('Issued');

    await admin(amsPaths.adminClock, { offsetDays: 340 + 366 });
    expect(mock.core.certificateStatus(renewed.certificate!)).toBe('Expired');
    await expect(mock.core.renew(renewed.certificate!.serialNumber, MAMAN)).rejects.toMatchObject({ status: 409 });
  });

  it('token expiry on demand, user creation under the profile rules, reset', async () => {
    const { token, requestId } = await mock.mintToken(MAMAN);
    await admin(amsPaths.adminExpireToken, { requestId });
    await expect(new AmsClient(mock.url).employee(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });

    const user = { email: 'budi@kementerian.go.id', name: 'BUDI SANTOSO', nik: '3171010101900003', nip: '199001012015031002', position: 'ANALIS', unit: 'BIRO UMUM', organization: 'KEMENTERIAN CONTOH', locality: 'Bandung', province: 'Jawa Barat' };
    expect((await admin(amsPaths.adminUsers, user)).status).toBe(201);
    const refused = await admin(amsPaths.adminUsers, { ...user, email: 'x@gmail.com', name: 'Dr. Budi', nik: '123' });
    expect(refused.status).toBe(422);
    expect(String((refused.body['error'] as { message: string }).message)).toMatch(/NAME_LETTERS_ONLY.*NIK_16_DIGITS.*EMAIL_NOT_GO_ID/);

    await admin(amsPaths.adminReset, {});
    expect(mock.store.requests()).toEqual([]);
    expect(mock.store.findUser('budi@kementerian.go.id')).toBeUndefined();
    expect(mock.store.findUser(MAMAN)).toBeDefined();
  });
});
