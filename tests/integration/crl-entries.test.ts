import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCrl, type RevokedEntry } from '../../src-main/mock-ams/crl';
import { subjectKeyId, TestCa } from '../../src-main/mock-ams/test-ca';
import { softwareSigner } from '../../src-main/services/software-key';
import { run, tempDir } from '../support/tools';

// The mock CA's CRL entries, built in-process and read back by openssl.
let dir: string;
let cleanup: () => Promise<void>;
let ca: TestCa;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-crl-entries-'));
  ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
});
afterAll(async () => cleanup());

/** A CRL the issuing CA signs, valid for a day from `now`. */
function issuingCrl(revoked: RevokedEntry[], now: Date, crlNumber: number): Promise<Buffer> {
  return buildCrl({
    issuerCertificate: new X509Certificate(ca.issuing.pem).raw,
    issuerKeyId: subjectKeyId(ca.issuing.cert),
    signer: softwareSigner(ca.issuing.key),
    revoked,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 86_400_000),
    crlNumber,
  });
}

/** `openssl crl -text` of the DER CRL, which must read it and verify its signature with the issuing CA. */
async function openSslReads(crl: Buffer, name: string) {
  const file = path.join(dir, name);
  const issuer = path.join(dir, 'issuing.pem');
  await writeFile(file, crl);
  await writeFile(issuer, ca.issuing.pem);
  const read = await run('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text', '-CAfile', issuer]);
  expect(read.code, read.stderr).toBe(0);
  expect(read.stderr + read.stdout).toContain('verify OK');
  return read;
}

describe('CRL entries', () => {
  it('a serial whose top bit is set stays positive (00 sign byte); an unspecified reason is left out, others are named; signed by the issuer', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const crl = await issuingCrl(
      [
        { serialNumber: '8A01', revokedAt: now, reason: 'unspecified' },
        { serialNumber: '0B02', revokedAt: now, reason: 'keyCompromise' },
        // Top bit clear, with high digits later on: no sign byte (a DER INTEGER is minimal).
        { serialNumber: '1C03', revokedAt: now, reason: 'superseded' },
      ],
      now,
      7,
    );
    // The serials' INTEGERs as encoded (OpenSSL prints a padded one the same): 00 only before a set top bit.
    expect(['0203008a01', '02020b02', '02021c03'].map((tlv) => crl.includes(Buffer.from(tlv, 'hex')))).toEqual([true, true, true]);
    expect(crl.includes(Buffer.from('0203001c03', 'hex'))).toBe(false);
    const read = await openSslReads(crl, 'crl.der');
    const entries = read.stdout.split('Serial Number: ').slice(1);
    expect(entries.map((e) => e.split('\n')[0]!.trim())).toEqual(['8A01', '0B02', '1C03']);
    expect(entries[0]).not.toContain('CRL Reason Code');
    expect(entries[1]).toMatch(/CRL Reason Code:\s+Key Compromise/);
    expect(entries[2]).toMatch(/CRL Reason Code:\s+Superseded/);
    expect(read.stdout).toMatch(/X509v3 CRL Number:\s+7/);
    const keyId = subjectKeyId(ca.issuing.cert).toString('hex').toUpperCase().match(/../g)!.join(':');
    expect(read.stdout).toMatch(new RegExp(`X509v3 Authority Key Identifier:\\s+(keyid:)?${keyId}\\s`));
  });

  it('with nothing revoked: no list of revoked certificates at all (RFC 5280 §5.1.2.6), and it verifies', async () => {
    const read = await openSslReads(await issuingCrl([], new Date(Math.floor(Date.now() / 1000) * 1000), 1), 'empty.der');
    expect(read.stdout).toContain('No Revoked Certificates.');
  });
});
