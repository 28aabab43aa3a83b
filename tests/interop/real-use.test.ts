import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { realUseCheck } from '../../src-main/services/real-use-check';
import { tempDir } from '../support/tools';
import { issueForSoftwareKey, revoke } from './interop-support';

let mock: MockAms;
let cleanup: () => Promise<void>;
let chain: X509Certificate[];

beforeAll(async () => {
  const temp = await tempDir('lock-interop-realuse-');
  cleanup = temp.cleanup;
  mock = await startMockAms({ dataDir: path.join(temp.dir, 'mock'), autoApprove: true });
  chain = [new X509Certificate(mock.ca.issuing.pem), new X509Certificate(mock.ca.root.pem)];
});
afterAll(async () => {
  await mock.close();
  await cleanup();
});

/** fetch that fails for OCSP: the check must fall back to the CRL. */
const noOcsp: typeof fetch = async (input, init) => {
  if (String(input).includes('/ca/ocsp')) throw new TypeError('fetch failed');
  return fetch(input, init);
};
const offline: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};

describe('real-use self-test after download', () => {
  it('chain to the root and the certificate’s own OCSP, or its CRL, say good; revoked stops the download', async () => {
    const issued = await issueForSoftwareKey(mock);
    const cert = new X509Certificate(issued.pem);
    expect(await realUseCheck(cert, chain, new Date())).toEqual({ chain: 'verified', revocation: 'good', via: 'ocsp' });
    expect(await realUseCheck(cert, chain, new Date(), noOcsp)).toEqual({ chain: 'verified', revocation: 'good', via: 'crl' });
    expect(await realUseCheck(cert, chain, new Date(), offline)).toEqual({ chain: 'verified', revocation: 'unavailable' });

    await revoke(mock, issued.serial, 'keyCompromise');
    await expect(realUseCheck(cert, chain, new Date())).rejects.toMatchObject({ code: 'CERT_REVOKED', detail: 'ocsp' });
    await expect(realUseCheck(cert, chain, new Date(), noOcsp)).rejects.toMatchObject({ code: 'CERT_REVOKED', detail: 'crl' });
  });

  it('a chain that does not reach a self-signed root, or a certificate out of its validity, is refused', async () => {
    const cert = new X509Certificate((await issueForSoftwareKey(mock)).pem);
    await expect(realUseCheck(cert, [chain[1]!], new Date())).rejects.toMatchObject({ code: 'CERT_CHAIN_INVALID' });
    await expect(realUseCheck(cert, [chain[0]!], new Date())).rejects.toMatchObject({ code: 'CERT_CHAIN_INVALID' });
    await expect(realUseCheck(cert, chain, new Date(Date.now() + 5 * 365 * 86_400_000))).rejects.toMatchObject({ code: 'CERT_CHAIN_INVALID' });
    expect(await realUseCheck(cert, [], new Date())).toEqual({ chain: 'missing', revocation: 'unavailable' });
  });
});
