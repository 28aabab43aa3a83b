import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LETTER_BYTES } from '../../src-main/mock-ams/ams-core';
import { checkCsr } from '../../src-main/mock-ams/csr-check';
import { derChildren, derElementAt } from '../../src-main/services/asn1';
import { seedUsers } from '../../src-main/mock-ams/seed-users';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { run, tempDir } from '../support/tools';

// The mock AMS core's refusals, called in-process: each is the status, code and message an API caller sees.
const MAMAN = 'maman@instansi.go.id';
let mock: MockAms;
let dir: string;
let cleanup: () => Promise<void>;
let mamanCsr: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-mock-refusals-'));
  mock = await startMockAms({ dataDir: path.join(dir, 'mock'), autoApprove: false });
  mamanCsr = await buildCsr(mock.core.employeeOf(mock.store.findUser(MAMAN)!), softwareSigner(await generateSoftwareKey()));
});
afterAll(async () => {
  await mock.close();
  await cleanup();
});

const refusal = (status: number, code: string, message: string) => expect.objectContaining({ status, code, message });

/** A request of Maman's with its CSR uploaded (awaiting the verifier). */
async function uploaded() {
  const { token, requestId } = await mock.mintToken(MAMAN);
  await mock.core.uploadCsr(token, mamanCsr);
  return { token, requestId };
}

describe('the mock core refuses', () => {
  it('a new request for a user it does not know: 404 USER_UNKNOWN naming the address', async () => {
    await expect(mock.core.newRequest('nobody@instansi.go.id')).rejects.toEqual(refusal(404, 'USER_UNKNOWN', 'no user nobody@instansi.go.id'));
  });

  it('a letter for a request still waiting for its CSR: 409 naming the state', async () => {
    const { requestId } = await mock.mintToken(MAMAN);
    const pdf = { bytes: Buffer.from('%PDF-1.4 letter'), name: 'surat.pdf' };
    await expect(mock.core.uploadLetter(requestId, MAMAN, pdf)).rejects.toEqual(refusal(409, 'NOT_ALLOWED', 'request is awaiting_csr'));
  });

  it('a decision on a request it does not have: 404 NOT_FOUND', async () => {
    await expect(mock.core.decide('no-such-request', 'approve')).rejects.toEqual(refusal(404, 'NOT_FOUND', 'no such request'));
  });

  it('a rejection without a note is noted "Ditolak"; with one, the note as given', async () => {
    const first = await uploaded();
    await mock.core.decide(first.requestId, 'reject');
    expect(mock.store.findRequest(first.requestId)).toMatchObject({ status: 'rejected', note: 'Ditolak' });
    const second = await uploaded();
    await mock.core.decide(second.requestId, 'reject', 'Data tidak lengkap');
    expect(mock.store.findRequest(second.requestId)).toMatchObject({ status: 'rejected', note: 'Data tidak lengkap' });
  });

  it('an approval of a CSR that no longer matches the employee: 409 CSR_INVALID with the check’s reason', async () => {
    const { requestId } = await uploaded();
    const request = mock.store.findRequest(requestId)!;
    const other = seedUsers.find((u) => u.email !== MAMAN)!;
    const employee = { name: other.name, unit: other.unit, organization: other.organization, email: other.email, locality: other.locality, province: other.province, country: other.country };
    mock.store.putRequest({ ...request, csrPem: await buildCsr(employee, softwareSigner(await generateSoftwareKey())) });
    await expect(mock.core.decide(requestId, 'approve')).rejects.toEqual(refusal(409, 'CSR_INVALID', 'CSR subject differs from the employee data in AMS'));
  });

  it('a revocation by someone whose certificate it is not: 404; the owner’s address in any case is the owner', async () => {
    const { requestId } = await uploaded();
    await mock.approve(requestId);
    const serial = mock.store.findRequest(requestId)!.certificate!.serialNumber;
    await expect(mock.core.revoke(serial, 'keyCompromise', 'yogi.nur@bssn.go.id')).rejects.toEqual(refusal(404, 'NOT_FOUND', 'no such certificate'));
    await mock.core.revoke(serial, 'keyCompromise', MAMAN.toUpperCase());
    expect(mock.core.findCertificate(serial)?.certificate.revocationReason).toBe('keyCompromise');
  });

  it('a second user with an address it has: 409', async () => {
    const maman = seedUsers.find((u) => u.email === MAMAN)!;
    await expect(mock.core.createUser({ ...maman, nik: '1234567890123499' })).rejects.toEqual(refusal(409, 'NOT_ALLOWED', 'a user with this email exists'));
  });

  it('a decision on a request whose user is gone: 404, and the request is left as it was', async () => {
    const { requestId } = await uploaded();
    const request = mock.store.findRequest(requestId)!;
    mock.store.putRequest({ ...request, email: 'gone@instansi.go.id' });
    await expect(mock.core.decide(requestId, 'approve')).rejects.toEqual(refusal(404, 'NOT_FOUND', 'no such request'));
    expect(mock.store.findRequest(requestId)).toMatchObject({ status: 'csr_uploaded' });
    expect(mock.store.findRequest(requestId)!.certificate).toBeUndefined();
  });

  it('expiring the token of a request it does not have: 404', async () => {
    await expect(mock.core.expireToken('no-such-request')).rejects.toEqual(refusal(404, 'NOT_FOUND', 'no such request'));
  });
});

/** The refusal as a caller meets it: status, code, the API message, and the portal's words (`reason`) or none. */
const refused = (status: number, code: string, message: string, reason?: string) => expect.objectContaining({ status, code, message, reason });
const pdf = (bytes = Buffer.from('%PDF-1.4 letter')) => ({ bytes, name: 'surat.pdf' });

describe('each refusal of the mock core, with the portal’s words for it', () => {
  it('a CSR upload: unknown token 404, unparseable CSR 422, another CSR 409, expired token 410; the same CSR again is not stored twice', async () => {
    await expect(mock.core.uploadCsr('F'.repeat(40), mamanCsr)).rejects.toEqual(refused(404, 'TOKEN_UNKNOWN', 'unknown token'));
    const { token, requestId } = await mock.mintToken(MAMAN);
    await expect(mock.core.uploadCsr(token, 'not a CSR')).rejects.toEqual(refused(422, 'CSR_INVALID', 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)'));
    expect(await mock.core.uploadCsr(token, mamanCsr)).toMatchObject({ stored: true, status: { status: 'csr_uploaded' } });
    expect(await mock.core.uploadCsr(token, mamanCsr)).toMatchObject({ stored: false, status: { status: 'csr_uploaded' } });
    const other = await buildCsr(mock.core.employeeOf(mock.store.findUser(MAMAN)!), softwareSigner(await generateSoftwareKey()));
    await expect(mock.core.uploadCsr(token, other)).rejects.toEqual(refused(409, 'TOKEN_ALREADY_USED', 'a different CSR was already uploaded for this token'));
    expect(mock.store.findRequest(requestId)!.type).toBe('issue');

    const late = await mock.mintToken(MAMAN);
    await mock.core.expireToken(late.requestId);
    await expect(mock.core.uploadCsr(late.token, mamanCsr)).rejects.toEqual(refused(410, 'TOKEN_EXPIRED', 'token expired'));
  });

  it('a decision is recorded with its time; an approval without a note is noted "Disetujui", with one the note as given', async () => {
    const rejected = await uploaded();
    await mock.core.decide(rejected.requestId, 'reject');
    expect(mock.store.findRequest(rejected.requestId)!.verification).toEqual({ decision: 'rejected', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const plain = await uploaded();
    await mock.core.decide(plain.requestId, 'approve');
    expect(mock.store.findRequest(plain.requestId)).toMatchObject({ status: 'issued', note: 'Disetujui', verification: { decision: 'approved' } });
    const noted = await uploaded();
    await mock.core.decide(noted.requestId, 'approve', 'Lengkap');
    expect(mock.store.findRequest(noted.requestId)).toMatchObject({ status: 'issued', note: 'Lengkap' });
  });

  it('an issued certificate is valid from five minutes before its approval (clocks that run a little behind accept it)', async () => {
    const { requestId } = await uploaded();
    await mock.approve(requestId);
    const request = mock.store.findRequest(requestId)!;
    expect(Date.parse(request.verification!.at) - Date.parse(request.certificate!.notBefore)).toBe(5 * 60_000);
  });

  it('an approval on upload (auto-approve) is noted "Disetujui"', async () => {
    const settings = mock.core.settings as { autoApprove: boolean };
    settings.autoApprove = true;
    try {
      const { token, requestId } = await mock.mintToken(MAMAN);
      await mock.core.uploadCsr(token, mamanCsr);
      expect(mock.store.findRequest(requestId)).toMatchObject({ status: 'issued', note: 'Disetujui' });
    } finally {
      settings.autoApprove = false;
    }
  });

  it('a letter: not yet (409 errState), over 2 MB (413), not a PDF (415), someone else’s request (404); a good one is kept as <request>.pdf', async () => {
    const waiting = await mock.mintToken(MAMAN);
    await expect(mock.core.uploadLetter(waiting.requestId, MAMAN, pdf())).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'request is awaiting_csr', 'errState'));
    const { requestId } = await uploaded();
    const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX_LETTER_BYTES - 4)]);
    await expect(mock.core.uploadLetter(requestId, MAMAN, pdf(big))).rejects.toEqual(refused(413, 'NOT_ALLOWED', 'letter larger than 2 MB', 'errLetterTooBig'));
    await expect(mock.core.uploadLetter(requestId, MAMAN, pdf(Buffer.from('GIF89a')))).rejects.toEqual(refused(415, 'NOT_ALLOWED', 'the letter must be a PDF', 'errLetterNotPdf'));
    await expect(mock.core.uploadLetter(requestId, 'yogi.nur@bssn.go.id', pdf())).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such request', 'errNotFound'));
    expect(mock.store.findRequest(requestId)!.letter).toBeUndefined();

    const exact = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX_LETTER_BYTES - 5)]);
    await mock.core.uploadLetter(requestId, MAMAN, pdf(exact));
    expect(mock.store.findRequest(requestId)!.letter).toMatchObject({ file: `${requestId}.pdf`, size: MAX_LETTER_BYTES });
    expect((await readFile(path.join(dir, 'mock', 'letters', `${requestId}.pdf`))).equals(exact)).toBe(true);
  });

  it('Setuju dan Submit: not yet (409 errState), without the letter (errLetterRequired), without the agreement (errAgreementRequired)', async () => {
    const waiting = await mock.mintToken(MAMAN);
    await expect(mock.core.submit(waiting.requestId, MAMAN, true)).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'request is awaiting_csr', 'errState'));
    const { requestId } = await uploaded();
    await expect(mock.core.submit(requestId, MAMAN, true)).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'upload the recommendation letter first', 'errLetterRequired'));
    await mock.core.uploadLetter(requestId, MAMAN, pdf());
    await expect(mock.core.submit(requestId, MAMAN, false)).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'the agreement must be accepted', 'errAgreementRequired'));
    await mock.core.submit(requestId, MAMAN, true);
    expect(mock.store.findRequest(requestId)!.status).toBe('submitted');
  });

  it('a decision on a request that has no CSR yet (409 errState) or none at all (404 errNotFound)', async () => {
    const waiting = await mock.mintToken(MAMAN);
    await expect(mock.core.decide(waiting.requestId, 'approve')).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'request is awaiting_csr', 'errState'));
    await expect(mock.core.decide('no-such-request', 'reject')).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such request', 'errNotFound'));
    // Decided already: neither decision again.
    const { requestId } = await uploaded();
    await mock.core.decide(requestId, 'reject');
    for (const decision of ['approve', 'reject'] as const) {
      await expect(mock.core.decide(requestId, decision)).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'request is rejected', 'errState'));
    }
    await expect(mock.core.expireToken('no-such-request')).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such request', 'errNotFound'));
  });

  it('a revocation of an unknown or already revoked certificate; a renewal before H-30 or of someone else’s certificate', async () => {
    const { requestId } = await uploaded();
    await mock.approve(requestId);
    const serial = mock.store.findRequest(requestId)!.certificate!.serialNumber;
    await expect(mock.core.renew(serial, MAMAN)).rejects.toEqual(
      refused(409, 'NOT_ALLOWED', 'renewal opens 30 days before expiry, for Issued certificates', 'errRenewalNotYet'),
    );
    await expect(mock.core.renew(serial, 'yogi.nur@bssn.go.id')).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such certificate', 'errNotFound'));
    await expect(mock.core.renew('7123456789', MAMAN)).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such certificate', 'errNotFound'));
    await expect(mock.core.revoke('7123456789', 'keyCompromise')).rejects.toEqual(refused(404, 'NOT_FOUND', 'no such certificate', 'errNotFound'));
    await mock.core.revoke(serial, 'keyCompromise', MAMAN);
    await expect(mock.core.revoke(serial, 'keyCompromise', MAMAN)).rejects.toEqual(refused(409, 'NOT_ALLOWED', 'certificate is Revoke', 'errNotIssued'));
  });

  it('a revocation adds a history row: type revoke, issued, the reason as its note, approved at the time of revocation', async () => {
    const { requestId } = await uploaded();
    await mock.approve(requestId);
    const serial = mock.store.findRequest(requestId)!.certificate!.serialNumber;
    await mock.core.revoke(serial, 'superseded', MAMAN);
    const revokedAt = mock.store.findRequest(requestId)!.certificate!.revokedAt!;
    const rows = mock.store.requestsOf(MAMAN).filter((r) => r.type === 'revoke' && r.subjectSerial === serial);
    expect(rows).toEqual([
      expect.objectContaining({ status: 'issued', note: 'superseded', verification: { decision: 'approved', at: revokedAt }, enrollment: 'success', createdAt: revokedAt }),
    ]);
  });

  it('a certificate is found by its serial in any printed form: either case, colons, with or without a 00 sign byte', async () => {
    const { requestId } = await uploaded();
    await mock.approve(requestId);
    const request = mock.store.findRequest(requestId)!;
    const serial = request.certificate!.serialNumber;
    expect(mock.core.findCertificate(serial.toLowerCase().match(/../g)!.join(':'))?.request.id).toBe(requestId);
    // Stored with a sign byte, asked for without it.
    mock.store.putRequest({ ...request, certificate: { ...request.certificate!, serialNumber: `00${serial}` } });
    expect(mock.core.findCertificate(serial)?.request.id).toBe(requestId);
  });

  it('a new user that keeps the rules is added; a reset goes back to the seeded users, removes the letters, and can run twice', async () => {
    const maman = seedUsers.find((u) => u.email === MAMAN)!;
    const added = await mock.core.createUser({ ...maman, email: 'baru@instansi.go.id', nik: '1234567890123497', name: 'BARU' });
    expect(mock.store.findUser('baru@instansi.go.id')).toEqual(added);
    const { requestId } = await uploaded();
    await mock.core.uploadLetter(requestId, MAMAN, pdf());
    const letters = path.join(dir, 'mock', 'letters');
    expect(existsSync(path.join(letters, `${requestId}.pdf`))).toBe(true);
    // The letter holds personal data: readable by the mock's user only.
    expect((await stat(path.join(letters, `${requestId}.pdf`))).mode & 0o777).toBe(0o600);

    await mock.core.reset();
    expect(mock.store.findUser('baru@instansi.go.id')).toBeUndefined();
    expect(mock.store.findRequest(requestId)).toBeUndefined();
    expect(mock.store.findUser(MAMAN)).toBeDefined();
    expect(existsSync(letters)).toBe(false);
    // Only the letters: the CA stays.
    expect(existsSync(path.join(dir, 'mock', 'ca', 'root.pem'))).toBe(true);
    await expect(mock.core.reset()).resolves.toBeUndefined();
  });

  it('a new user whose profile breaks the rules: 422 PROFILE_INVALID naming each problem', async () => {
    const maman = seedUsers.find((u) => u.email === MAMAN)!;
    await expect(mock.core.createUser({ ...maman, email: 'baru@instansi.go.id', nik: '1234567890123498', name: '', country: 'IDN' })).rejects.toEqual(
      refused(422, 'PROFILE_INVALID', expect.stringMatching(/, /)),
    );
  });
});

describe('the mock store', () => {
  it('a transaction whose work throws is rolled back: the error passes, none of its writes stay, the next one runs', () => {
    const maman = seedUsers.find((u) => u.email === MAMAN)!;
    const stranger = { ...maman, employment: 'ASN' as const, role: 'user' as const, email: 'rolled.back@instansi.go.id', nik: '1234567890123411' };
    expect(() =>
      mock.store.transaction(() => {
        mock.store.addUser(stranger);
        throw new Error('stop here');
      }),
    ).toThrow('stop here');
    expect(mock.store.findUser(stranger.email)).toBeUndefined();
    expect(mock.store.transaction(() => 'ran')).toBe('ran');
  });
});

describe('checkCsr refuses', () => {
  const expected = [{ shortName: 'CN', value: 'MAMAN' }] as const;
  let key: string;
  beforeAll(async () => {
    key = path.join(dir, 'key.pem');
    expect((await run('openssl', ['genrsa', '-out', key, '2048'])).code).toBe(0);
  });
  async function csrWith(...options: string[]): Promise<string> {
    const out = path.join(dir, `csr-${options.join('').replace(/\W/g, '')}.pem`);
    const made = await run('openssl', ['req', '-new', '-key', key, '-subj', '/CN=MAMAN', ...options, '-out', out]);
    expect(made.code, made.stderr).toBe(0);
    return readFile(out, 'utf8');
  }

  it('signature algorithms other than RSA PKCS#1 v1.5 with SHA-256/384/512, named by forge’s name or, unnamed, by OID', async () => {
    expect(checkCsr(await csrWith('-sha512'), expected)).toMatchObject({ ok: true });
    expect(checkCsr(await csrWith('-sha1'), expected)).toEqual({ ok: false, reason: 'signature algorithm not accepted: sha1WithRSAEncryption' });
    expect(checkCsr(await csrWith('-sha224'), expected)).toEqual({ ok: false, reason: 'signature algorithm not accepted: 1.2.840.113549.1.1.14' });
    expect(checkCsr(await csrWith('-sha256', '-sigopt', 'rsa_padding_mode:pss'), expected)).toEqual({ ok: false, reason: 'signature algorithm not accepted: RSASSA-PSS' });
  });

  it('a key the size limits refuse is refused by them, before any parse or signature check: an exponent of 34 bits', async () => {
    const wide = path.join(dir, 'wide-exponent.pem');
    expect((await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:8589934593', '-out', wide])).code).toBe(0);
    const out = path.join(dir, 'csr-wide.pem');
    expect((await run('openssl', ['req', '-new', '-key', wide, '-subj', '/CN=MAMAN', '-sha256', '-out', out])).code).toBe(0);
    expect(checkCsr(await readFile(out, 'utf8'), expected)).toEqual({ ok: false, reason: 'RSA public exponent must have at most 32 bits' });
  });

  it('a CSR whose parts are in place but whose signature algorithm is not an AlgorithmIdentifier: cannot be parsed', async () => {
    const der = Buffer.from(forge.pem.decode(await csrWith('-sha256'))[0]!.body, 'binary');
    const [info, , signature] = derChildren(derElementAt(der));
    const body = Buffer.concat([info!.raw, Buffer.from([0x02, 0x01, 0x00]), signature!.raw]);
    const length = body.length < 0x10000 ? Buffer.from([0x82, body.length >> 8, body.length & 0xff]) : Buffer.alloc(0);
    const pem = forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: Buffer.concat([Buffer.from([0x30]), length, body]).toString('binary') });
    expect(checkCsr(pem, expected)).toEqual({ ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' });
  });

});
