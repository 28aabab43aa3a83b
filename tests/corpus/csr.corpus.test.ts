import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { subjectFor } from '../../src/domain/employee';
import { checkCsrKeyLimits } from '../../src-main/mock-ams/csr-limits';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { AmsClient } from '../../src-main/services/ams-client';
import { forgeSubject } from '../../src-main/services/forge-util';
import { useMockAms } from '../support/mock';
import { expectCode } from './support';

const signingKey = forge.pki.privateKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
const big = (hex: string) => new forge.jsbn.BigInteger(hex, 16);
/** An odd number of exactly `bits` bits. */
const oddOfBits = (bits: number) => {
  const bytes = randomBytes(Math.ceil(bits / 8));
  bytes[0]! |= 0x80;
  bytes[bytes.length - 1]! |= 1;
  return bytes.toString('hex');
};

/** A CSR for MAMAN carrying any RSA public key (n, e), signed with an unrelated key: the limits come before the signature. */
function csrWithKey(nHex: string, eHex: string, options: { subject?: ReturnType<typeof subjectFor>; digest?: 'sha256' | 'md5' } = {}): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(big(nHex), big(eHex));
  csr.setSubject(forgeSubject(options.subject ?? subjectFor(MAMAN_EMPLOYEE)));
  csr.sign(signingKey, options.digest === 'md5' ? forge.md.md5.create() : forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
const subjectArg = () => '/' + subjectFor(MAMAN_EMPLOYEE).map((a) => `${a.shortName === 'E' ? 'emailAddress' : a.shortName}=${a.value}`).join('/');

const cases: [string, () => string, RegExp][] = [
  ['16384-bit modulus (the freeze)', () => csrWithKey(oddOfBits(16384), '010001'), /at most 4096 bits/],
  ['8192-bit modulus', () => csrWithKey(oddOfBits(8192), '010001'), /at most 4096 bits/],
  ['4097-bit modulus', () => csrWithKey(oddOfBits(4097), '010001'), /at most 4096 bits/],
  ['16384-bit exponent', () => csrWithKey(oddOfBits(2048), oddOfBits(16384)), /exponent must have at most 32 bits/],
  ['33-bit exponent', () => csrWithKey(oddOfBits(2048), oddOfBits(33)), /exponent must have at most 32 bits/],
  ['even exponent', () => csrWithKey(oddOfBits(2048), '010000'), /exponent must be odd/],
  ['exponent 1', () => csrWithKey(oddOfBits(2048), '01'), /exponent must be odd/],
  ['1024-bit key', () => csrWithKey(oddOfBits(1024), '010001'), /at least 2048 bits/],
  ['bad signature (valid sizes)', () => csrWithKey(oddOfBits(2048), '010001'), /signature does not verify/],
  ['MD5 signature', () => csrWithKey(oddOfBits(2048), '010001', { digest: 'md5' }), /signature algorithm not accepted/],
  ['not PEM', () => 'hello', /cannot be parsed/],
  ['PEM armour, broken base64', () => '-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n', /cannot be parsed/],
  ['truncated CSR', () => { const pem = csrWithKey(oddOfBits(2048), '010001'); return pem.slice(0, 200) + '\n-----END CERTIFICATE REQUEST-----\n'; }, /cannot be parsed/],
  ['DER length claiming 4 GB', () => `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30]).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`, /cannot be parsed/],
  ['a certificate instead of a CSR', () => openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x', '-days', '1']), /cannot be parsed/],
  ['EC key', () => openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', subjectArg()]), /only RSA keys/],
];

describe('corpus: CSR key limits before any signature check', () => {
  it('limits are read from the DER alone, for the large keys, without forge', () => {
    expect(checkCsrKeyLimits(csrWithKey(oddOfBits(16384), oddOfBits(16384)))).toEqual({ ok: false, reason: 'RSA key must have at most 4096 bits' });
    expect(checkCsrKeyLimits(csrWithKey(oddOfBits(4096), '010001'))).toEqual({ ok: true });
    expect(checkCsrKeyLimits(csrWithKey(oddOfBits(2048), 'ffffffff'))).toEqual({ ok: true });
  });
});

describe('corpus: CSRs sent to the mock AMS', () => {
  const fixture = useMockAms({ autoApprove: false });
  for (const [name, make, reason] of cases) {
    it(`${name} → CSR_REJECTED, token not used up`, async () => {
      const { token } = await fixture.mock.mintToken(MAMAN_EMPLOYEE.email);
      const client = new AmsClient(fixture.mock.url);
      const outcome = await expectCode(() => client.uploadCsr(token, make()), 'CSR_REJECTED');
      expect(outcome.detail).toMatch(reason);
      expect((await client.status(token)).status).toBe('awaiting_csr');
    });
  }

  it('a CSR body over the size limit → a coded refusal, token not used up', async () => {
    const { token } = await fixture.mock.mintToken(MAMAN_EMPLOYEE.email);
    const client = new AmsClient(fixture.mock.url);
    await expectCode(() => client.uploadCsr(token, 'A'.repeat(300 * 1024)), 'SERVER_BAD_RESPONSE');
    expect((await client.status(token)).status).toBe('awaiting_csr');
  });
});
