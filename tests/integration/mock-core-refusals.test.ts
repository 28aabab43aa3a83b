import { readFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCsr } from '../../src-main/mock-ams/csr-check';
import { derChildren, derElementAt } from '../../src-main/mock-ams/der-slices';
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

  it('expiring the token of a request it does not have: 404', async () => {
    await expect(mock.core.expireToken('no-such-request')).rejects.toEqual(refusal(404, 'NOT_FOUND', 'no such request'));
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

  it('a CSR whose parts are in place but whose signature algorithm is not an AlgorithmIdentifier: cannot be parsed', async () => {
    const der = Buffer.from(forge.pem.decode(await csrWith('-sha256'))[0]!.body, 'binary');
    const [info, , signature] = derChildren(derElementAt(der));
    const body = Buffer.concat([info!.raw, Buffer.from([0x02, 0x01, 0x00]), signature!.raw]);
    const length = body.length < 0x10000 ? Buffer.from([0x82, body.length >> 8, body.length & 0xff]) : Buffer.alloc(0);
    const pem = forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: Buffer.concat([Buffer.from([0x30]), length, body]).toString('binary') });
    expect(checkCsr(pem, expected)).toEqual({ ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' });
  });

});
