import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsPaths } from '../../src/ams-api/schemas';
import { TEST_POLICY_OID } from '../../src-main/mock-ams/ca-extensions';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { certificateParts } from '../../src-main/services/x509-parts';
import { run, tempDir } from '../support/tools';
import { fetchCrlPem, issueForSoftwareKey, revoke, urisIn, writeCaFiles } from './interop-support';

let mock: MockAms;
let dir: string;
let cleanup: () => Promise<void>;
let ca: { root: string; issuing: string; chain: string };

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-interop-ca-'));
  mock = await startMockAms({ dataDir: path.join(dir, 'mock'), autoApprove: true });
  ca = await writeCaFiles(mock, dir);
});
afterAll(async () => {
  await mock.close();
  await cleanup();
});

const text = async (pem: string) => {
  const file = path.join(dir, `show-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(file, pem);
  return (await run('openssl', ['x509', '-in', file, '-noout', '-text'])).stdout;
};

/** openssl verify of `leaf` to the root only, with the CRLs fetched from the URLs the leaf and the issuing CA name. */
async function verifyWithCrls(leaf: string): Promise<string> {
  const urls = [...urisIn(await text(await readFile(leaf, 'utf8')), 'crl'), ...urisIn(await text(await readFile(ca.issuing, 'utf8')), 'crl')];
  expect(urls).toEqual([`${mock.url}/ca/issuing.crl`, `${mock.url}/ca/root.crl`]);
  const crlFiles = await Promise.all(urls.map((url, i) => fetchCrlPem(url, path.join(dir, `crl-${i}.pem`))));
  const result = await run('openssl', ['verify', '-crl_check_all', '-CAfile', ca.root, '-untrusted', ca.issuing, ...crlFiles.flatMap((f) => ['-CRLfile', f]), leaf]);
  return result.stdout + result.stderr;
}

async function ocsp(leaf: string): Promise<string> {
  const url = urisIn(await text(await readFile(leaf, 'utf8')), 'ocsp')[0]!;
  expect(url).toBe(`${mock.url}/ca/ocsp`);
  const result = await run('openssl', ['ocsp', '-issuer', ca.issuing, '-cert', leaf, '-url', url, '-CAfile', ca.root]);
  return result.stdout + result.stderr;
}

describe('the mock CA, as strict validators see it', () => {
  it('the leaf carries exactly the checked extensions and stays within RFC 5280 limits', async () => {
    const { pem } = await issueForSoftwareKey(mock);
    const cert = forge.pki.certificateFromPem(pem);
    expect(cert.extensions.map((e: { id: string }) => e.id).sort()).toEqual(
      [
        '2.5.29.19', // basicConstraints
        '2.5.29.15', // keyUsage
        '2.5.29.37', // extKeyUsage
        '2.5.29.17', // subjectAltName
        '2.5.29.35', // authorityKeyIdentifier
        '2.5.29.14', // subjectKeyIdentifier
        '2.5.29.31', // cRLDistributionPoints
        '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
        '2.5.29.32', // certificatePolicies
      ].sort(),
    );
    const critical = cert.extensions.filter((e: { critical?: boolean }) => e.critical).map((e: { id: string }) => e.id);
    expect(critical.sort()).toEqual(['2.5.29.15', '2.5.29.19']);
    const shown = await text(pem);
    expect(shown).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(shown).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation, Key Encipherment/);
    expect(shown).toContain('E-mail Protection');
    expect(shown).toContain(`Policy: ${TEST_POLICY_OID}`);
    expect(shown).toContain(`CPS: ${mock.url}/ca/cps`);
    expect(urisIn(shown, 'ocsp')).toEqual([`${mock.url}/ca/ocsp`]);
    expect(urisIn(shown, 'caIssuers')).toEqual([`${mock.url}/ca/issuing.crt`]);

    const x509 = new X509Certificate(pem);
    const cn = /CN=(.*)/.exec(x509.subject)?.[1] ?? '';
    expect(cn.length).toBeGreaterThan(0);
    expect(cn.length).toBeLessThanOrEqual(64);
    const serialInteger = certificateParts(x509.raw).serialNumber;
    expect(serialInteger[0]).toBe(0x02);
    const serialBytes = serialInteger.subarray(2, 2 + serialInteger[1]!);
    expect(serialBytes.length).toBeLessThanOrEqual(20);
    expect(serialBytes[0]! & 0x80).toBe(0); // positive
    expect(serialBytes[0]).not.toBe(0); // no needless sign byte: the printed form is the stored form
    expect(x509.serialNumber).toMatch(/^(0[1-9A-F]|[1-7][0-9A-F])[0-9A-F]{30}$/);
    expect(mock.core.findCertificate(x509.serialNumber)?.certificate.serialNumber).toBe(x509.serialNumber);

    const cps = await fetch(`${mock.url}/ca/cps`);
    expect(cps.status).toBe(200);
    expect(await cps.text()).toContain(TEST_POLICY_OID);
  });

  it('the issuing CA names the root CRL and certificate; both CRLs are signed, scheduled and cached', async () => {
    const shown = await text(await readFile(ca.issuing, 'utf8'));
    expect(urisIn(shown, 'crl')).toEqual([`${mock.url}/ca/root.crl`]);
    expect(urisIn(shown, 'caIssuers')).toEqual([`${mock.url}/ca/root.crt`]);
    expect(shown).toContain('Policy: X509v3 Any Policy');

    for (const [p, signer] of [[amsPaths.caCrl, ca.issuing], [amsPaths.caRootCrl, ca.root]] as const) {
      const first = Buffer.from(await (await fetch(`${mock.url}${p}`)).arrayBuffer());
      const second = Buffer.from(await (await fetch(`${mock.url}${p}`)).arrayBuffer());
      expect(second.equals(first), `${p} is cached, not made per fetch`).toBe(true);
      const file = await fetchCrlPem(`${mock.url}${p}`, path.join(dir, 'signed.crl.pem'));
      const crl = await run('openssl', ['crl', '-in', file, '-noout', '-text', '-CAfile', signer]);
      expect(crl.stdout + crl.stderr).toMatch(/verify OK/);
      expect(crl.stdout).toMatch(/Next Update: /);
      expect(crl.stdout).toMatch(/X509v3 CRL Number:/);
    }
  });

  it('HEAD is answered on every GET route of the CA', async () => {
    for (const p of [amsPaths.caChain, amsPaths.caRoot, amsPaths.caIssuing, amsPaths.caCrl, amsPaths.caRootCrl, amsPaths.caCps, amsPaths.health]) {
      const head = await fetch(`${mock.url}${p}`, { method: 'HEAD' });
      expect(head.status, p).toBe(200);
      expect(Number(head.headers.get('content-length')), p).toBeGreaterThan(0);
      expect((await head.arrayBuffer()).byteLength, p).toBe(0);
    }
  });

  it('revocation: OCSP good then revoked, CRL check passes then fails, the CRL number grows, reason only when specified', async () => {
    const good = await issueForSoftwareKey(mock);
    const other = await issueForSoftwareKey(mock);
    const leaf = path.join(dir, 'leaf.pem');
    await writeFile(leaf, good.pem);
    const otherLeaf = path.join(dir, 'other.pem');
    await writeFile(otherLeaf, other.pem);

    expect(await verifyWithCrls(leaf)).toMatch(/: OK/);
    const before = await ocsp(leaf);
    expect(before).toMatch(/Response verify OK/);
    expect(before).toContain(`${leaf}: good`);
    const crlBefore = await run('openssl', ['crl', '-in', await fetchCrlPem(`${mock.url}${amsPaths.caCrl}`, path.join(dir, 'b.crl')), '-noout', '-crlnumber']);

    // Revoked by the serial in any printed form: lower case with a sign byte here, unspecified reason for the other.
    await revoke(mock, `00${good.serial.toLowerCase()}`, 'keyCompromise');
    await revoke(mock, other.serial, 'unspecified');

    const after = await ocsp(leaf);
    expect(after).toMatch(/Response verify OK/);
    expect(after).toContain(`${leaf}: revoked`);
    expect(after).toMatch(/Reason: keyCompromise/);
    expect(await ocsp(otherLeaf)).toContain(`${otherLeaf}: revoked`);
    expect(await verifyWithCrls(leaf)).toMatch(/certificate revoked/);

    const crlFile = await fetchCrlPem(`${mock.url}${amsPaths.caCrl}`, path.join(dir, 'a.crl'));
    const crl = (await run('openssl', ['crl', '-in', crlFile, '-noout', '-text'])).stdout;
    const number = (s: string) => BigInt(`0x${/crlNumber=(?:0x)?([0-9A-F]+)/i.exec(s)?.[1] ?? '0'}`);
    expect(number((await run('openssl', ['crl', '-in', crlFile, '-noout', '-crlnumber'])).stdout)).toBeGreaterThan(number(crlBefore.stdout));
    const entry = (serial: string) => new RegExp(`Serial Number: ${serial}\\n[^\\n]*Revocation Date[^\\n]*\\n(\\s+CRL entry extensions:\\n\\s+X509v3 CRL Reason Code:\\s+\\n\\s+(.*))?`).exec(crl);
    expect(entry(good.serial)?.[2]?.trim()).toBe('Key Compromise');
    expect(entry(other.serial)).not.toBeNull();
    expect(entry(other.serial)?.[1]).toBeUndefined();
  });

  it('OCSP by GET, unknown serials, malformed requests', async () => {
    const { pem } = await issueForSoftwareKey(mock);
    const leaf = path.join(dir, 'get.pem');
    await writeFile(leaf, pem);
    const reqFile = path.join(dir, 'req.der');
    await run('openssl', ['ocsp', '-issuer', ca.issuing, '-cert', leaf, '-reqout', reqFile, '-no_nonce']);
    const encoded = encodeURIComponent((await readFile(reqFile)).toString('base64'));
    const response = await fetch(`${mock.url}/ca/ocsp/${encoded}`);
    expect(response.headers.get('content-type')).toBe('application/ocsp-response');
    const respFile = path.join(dir, 'resp.der');
    await writeFile(respFile, Buffer.from(await response.arrayBuffer()));
    const shown = await run('openssl', ['ocsp', '-respin', respFile, '-resp_text', '-noverify']);
    expect(shown.stdout).toMatch(/OCSP Response Status: successful/);
    expect(shown.stdout).toMatch(/Cert Status: good/);

    const unknown = await run('openssl', ['ocsp', '-issuer', ca.issuing, '-serial', '0x7123456789', '-url', `${mock.url}/ca/ocsp`, '-CAfile', ca.root]);
    expect(unknown.stdout).toMatch(/0x7123456789: unknown/);
    const malformed = await fetch(`${mock.url}/ca/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'not DER' });
    expect(Buffer.from(await malformed.arrayBuffer()).toString('hex')).toBe('30030a0101');
  });

  it('a CA folder from an earlier version keeps working: the issuing CA is re-certified with the URLs, earlier certificates still chain', async () => {
    const { dir: old, cleanup: done } = await tempDir('lock-interop-oldca-');
    try {
      // What earlier versions left: an issuing CA without CRL DP, AIA or policies.
      const legacy = await TestCa.openOrCreate(path.join(old, 'ca'), new Date());
      expect(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(legacy.issuing.cert)).getBytes(), 'binary').includes(Buffer.from('/ca/root.crl'))).toBe(false);
      const first = await startMockAms({ dataDir: old, autoApprove: true });
      const issued = await issueForSoftwareKey(first);
      await first.close();
      const again = await startMockAms({ dataDir: old, autoApprove: true });
      try {
        expect((again.ca.issuing.cert.publicKey as forge.pki.rsa.PublicKey).n.toString(16)).toBe((legacy.issuing.cert.publicKey as forge.pki.rsa.PublicKey).n.toString(16));
        const files = await writeCaFiles(again, old);
        expect(urisIn(await text(await readFile(files.issuing, 'utf8')), 'crl')).toEqual([`${again.url}/ca/root.crl`]);
        const leaf = path.join(old, 'leaf.pem');
        await writeFile(leaf, issued.pem);
        const verified = await run('openssl', ['verify', '-CAfile', files.root, '-untrusted', files.issuing, leaf]);
        expect(verified.stdout).toContain(': OK');
      } finally {
        await again.close();
      }
    } finally {
      await done();
    }
  });
});
