import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { subjectFor, type Employee } from '../../src/domain/employee';
import { checkCsr } from '../../src-main/mock-ams/csr-check';
import { derChildren, derElementAt } from '../../src-main/services/asn1';
import { seedUsers } from '../../src-main/mock-ams/seed-users';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';

const maman = seedUsers.find((u) => u.email === 'maman@instansi.go.id')!;
const employee: Employee = { name: maman.name, unit: maman.unit, organization: maman.organization, email: maman.email, locality: maman.locality, province: maman.province, country: maman.country };
const expected = subjectFor(employee);

/** The CSR with one byte of its DER changed at `at` (negative: from the end), re-wrapped as PEM. */
function flipped(pem: string, at: number): string {
  const der = Buffer.from(forge.pem.decode(pem)[0]!.body, 'binary');
  const index = at < 0 ? der.length + at : at;
  der[index] = der[index]! ^ 0x01;
  return forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der.toString('binary') });
}

describe('checkCsr (signature with Node crypto)', async () => {
  const good = await buildCsr(employee, softwareSigner(await generateSoftwareKey()));

  it('accepts the employee’s CSR signed by its own key', () => {
    expect(checkCsr(good, expected)).toMatchObject({ ok: true });
  });

  it('refuses a CSR whose signature bytes or signed content were changed', () => {
    expect(checkCsr(flipped(good, -1), expected)).toEqual({ ok: false, reason: 'CSR signature does not verify' });
    // A byte inside the public key's modulus: the request info no longer matches its signature.
    expect(checkCsr(flipped(good, 200), expected)).toMatchObject({ ok: false });
  });

  it('refuses a CSR signed by another key', async () => {
    const other = softwareSigner(await generateSoftwareKey());
    const der = Buffer.from(forge.pem.decode(good)[0]!.body, 'binary');
    const info = derChildren(derElementAt(der))[0]!.raw;
    const signature = await other.signSha256(info);
    // Keep the request info (with the first key) and put the other key's signature at the end.
    const tampered = Buffer.concat([der.subarray(0, der.length - signature.length), signature]);
    const pem = forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: tampered.toString('binary') });
    expect(checkCsr(pem, expected)).toEqual({ ok: false, reason: 'CSR signature does not verify' });
  });

  it.each(['sha384', 'sha512'] as const)('accepts a CSR signed with %s too', (digest) => {
    const key = forge.pki.privateKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    csr.setSubject(forge.pki.certificationRequestFromPem(good).subject.attributes);
    csr.sign(key, forge.md[digest].create());
    expect(checkCsr(forge.pki.certificationRequestToPem(csr), expected)).toMatchObject({ ok: true });
  });

  it('refuses a signature algorithm it does not accept (MD5), naming it', () => {
    const key = forge.pki.privateKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    csr.setSubject(forge.pki.certificationRequestFromPem(good).subject.attributes);
    csr.sign(key, forge.md.md5.create());
    expect(checkCsr(forge.pki.certificationRequestToPem(csr), expected)).toEqual({ ok: false, reason: 'signature algorithm not accepted: md5WithRSAEncryption' });
  });

  // The signature is read as a BIT STRING with no unused bits because forge refuses anything else first.
  it('refuses a signature BIT STRING that says it has unused bits', () => {
    const der = Buffer.from(forge.pem.decode(good)[0]!.body, 'binary');
    const signature = derChildren(derElementAt(der))[2]!;
    expect(signature.content[0]).toBe(0);
    signature.content[0] = 1;
    expect(checkCsr(forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der.toString('binary') }), expected)).toEqual({ ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' });
  });
});

