import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderChain } from '../../src-main/services/x509-parts';
import { run, tempDir } from '../support/tools';

/**
 * A CA key rollover (RFC 4210 §4.4): the root "CN=Rollover Root" gets a new key; a
 * "new with old" link certificate carries the new key under the same name, signed by
 * the old key — self-issued but not self-signed. A chain to the old root passes through it.
 */
describe('orderChain across a root key rollover', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const cert = (name: string) => new X509Certificate(readFileSync(path.join(dir, `${name}.crt`)));
  const openssl = async (...args: string[]) => {
    const result = await run('openssl', args, { cwd: dir });
    if (result.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('lock-rollover-'));
    writeFileSync(path.join(dir, 'ca.ext'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n');
    writeFileSync(path.join(dir, 'leaf.ext'), 'keyUsage=critical,digitalSignature,nonRepudiation\n');
    for (const key of ['old', 'new', 'issuing', 'leaf']) await openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${key}.key`);
    await openssl('req', '-x509', '-new', '-key', 'old.key', '-subj', '/CN=Rollover Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-out', 'old-root.crt');
    await openssl('req', '-x509', '-new', '-key', 'new.key', '-subj', '/CN=Rollover Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-out', 'new-root.crt');
    // newWithOld: the new key, certified by the old one.
    await openssl('req', '-new', '-key', 'new.key', '-subj', '/CN=Rollover Root', '-out', 'link.csr');
    await openssl('x509', '-req', '-in', 'link.csr', '-CA', 'old-root.crt', '-CAkey', 'old.key', '-set_serial', '2', '-days', '30', '-extfile', 'ca.ext', '-out', 'link.crt');
    await openssl('req', '-new', '-key', 'issuing.key', '-subj', '/CN=Issuing', '-out', 'issuing.csr');
    await openssl('x509', '-req', '-in', 'issuing.csr', '-CA', 'new-root.crt', '-CAkey', 'new.key', '-set_serial', '3', '-days', '30', '-extfile', 'ca.ext', '-out', 'issuing.crt');
    await openssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=MAMAN', '-out', 'leaf.csr');
    await openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'issuing.crt', '-CAkey', 'issuing.key', '-set_serial', '4', '-days', '30', '-extfile', 'leaf.ext', '-out', 'leaf.crt');
  });
  afterAll(() => cleanup());

  it('the link is self-issued, not self-signed (the premise)', () => {
    const link = cert('link');
    expect(link.subject).toBe(link.issuer);
    expect(link.verify(link.publicKey)).toBe(false);
    expect(link.verify(cert('old-root').publicKey)).toBe(true);
  });

  it('continues through the link to the old root, in any input order', () => {
    const want = ['issuing', 'link', 'old-root'].map((n) => cert(n).fingerprint256);
    for (const order of [['old-root', 'link', 'issuing'], ['link', 'issuing', 'old-root'], ['issuing', 'old-root', 'link']]) {
      expect(orderChain(cert('leaf'), order.map(cert)).map((c) => c.fingerprint256)).toEqual(want);
    }
  });

  it('with both the new root and the link at hand, the root, in any input order', () => {
    const want = ['issuing', 'new-root'].map((n) => cert(n).fingerprint256);
    for (const order of [['link', 'new-root', 'issuing', 'old-root'], ['new-root', 'link', 'old-root', 'issuing'], ['old-root', 'issuing', 'link', 'new-root']]) {
      expect(orderChain(cert('leaf'), order.map(cert)).map((c) => c.fingerprint256)).toEqual(want);
    }
  });

  it('stops at the first self-signed root it reaches, and at a link whose issuer is missing', () => {
    expect(orderChain(cert('leaf'), ['issuing', 'new-root'].map(cert)).map((c) => c.fingerprint256)).toEqual(['issuing', 'new-root'].map((n) => cert(n).fingerprint256));
    expect(orderChain(cert('leaf'), ['issuing', 'link'].map(cert)).map((c) => c.fingerprint256)).toEqual(['issuing', 'link'].map((n) => cert(n).fingerprint256));
  });
});
