import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOcsp, type OcspResponder, type OcspStatus } from '../../src-main/mock-ams/ocsp';
import { OcspCache } from '../../src-main/mock-ams/ocsp-cache';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { run, tempDir } from '../support/tools';

// The mock's OCSP responder called in-process, its answers read back and verified by openssl.
let dir: string;
let cleanup: () => Promise<void>;
let ca: TestCa;
let other: TestCa;
const files = { root: '', issuing: '', otherIssuing: '' };
// Whole seconds: GeneralizedTime carries no milliseconds.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const HOUR = 3_600_000;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-ocsp-answers-'));
  ca = await TestCa.openOrCreate(path.join(dir, 'ca'), now);
  other = await TestCa.openOrCreate(path.join(dir, 'other'), now);
  files.root = path.join(dir, 'root.pem');
  files.issuing = path.join(dir, 'issuing.pem');
  files.otherIssuing = path.join(dir, 'other-issuing.pem');
  await writeFile(files.root, ca.root.pem);
  await writeFile(files.issuing, ca.issuing.pem);
  await writeFile(files.otherIssuing, other.issuing.pem);
});
afterAll(async () => cleanup());

let counter = 0;
/** An OCSPRequest made by openssl: each [issuer file, serial hex] pair one CertID. */
async function request(ids: [string, string][], options: { nonce?: boolean; digest?: string } = {}): Promise<{ file: string; der: Buffer }> {
  const file = path.join(dir, `req-${(counter += 1)}.der`);
  const args = ids.flatMap(([issuer, serial]) => ['-issuer', issuer, '-serial', `0x${serial}`]);
  const result = await run('openssl', ['ocsp', ...(options.digest ? [`-${options.digest}`] : []), ...args, ...(options.nonce ? [] : ['-no_nonce']), '-reqout', file]);
  expect(result.code, result.stderr).toBe(0);
  return { file, der: await readFile(file) };
}

/** openssl's reading of a response: verified against the root, the request's nonce checked. */
async function read(answer: Buffer, req: { file: string }, verify = true) {
  const file = path.join(dir, `resp-${(counter += 1)}.der`);
  await writeFile(file, answer);
  const result = await run('openssl', ['ocsp', '-respin', file, '-reqin', req.file, '-CAfile', files.root, '-resp_text', ...(verify ? [] : ['-noverify'])]);
  const out = result.stdout + result.stderr;
  const time = (label: string) => {
    const m = new RegExp(`${label}: (.+)`).exec(out);
    return m ? new Date(m[1]!) : undefined;
  };
  const blocks = out.split('Certificate ID:').slice(1);
  return {
    out,
    verified: /Response verify OK/.test(out),
    producedAt: time('Produced At'),
    statuses: blocks.map((b) => ({
      serial: /Serial Number: (\w+)/.exec(b)?.[1],
      status: /Cert Status: (\w+)/.exec(b)?.[1],
      reason: /Revocation Reason: (\w+)/.exec(b)?.[1],
      revokedAt: /Revocation Time: (.+)/.exec(b)?.[1],
      thisUpdate: /This Update: (.+)/.exec(b)?.[1],
      nextUpdate: /Next Update: (.+)/.exec(b)?.[1],
    })),
  };
}

function responder(statuses: Record<string, OcspStatus>, extra: Partial<OcspResponder> = {}) {
  const asked: string[] = [];
  const r: OcspResponder = {
    issuer: ca.issuing,
    lookup: (serial) => {
      asked.push(serial);
      return statuses[serial] ?? { status: 'unknown' };
    },
    now,
    validityMs: 24 * HOUR,
    ...extra,
  };
  return { r, asked };
}

const refusal = (code: number) => Buffer.from([0x30, 0x03, 0x0a, 0x01, code]);

describe('the mock OCSP responder answers each CertID', () => {
  it('good, revoked with its time and reason, revoked without a reason, unknown: signed by the issuing CA, times from the responder', async () => {
    const revokedAt = new Date(now.getTime() - 2 * HOUR);
    const { r } = responder({
      '0A01': { status: 'good' },
      '0A02': { status: 'revoked', revokedAt, reasonCode: 1 },
      '0A03': { status: 'revoked', revokedAt, reasonCode: 0 },
    });
    const req = await request([[files.issuing, '0A01'], [files.issuing, '0A02'], [files.issuing, '0A03'], [files.issuing, '0A04']]);
    const seen = await read(await answerOcsp(req.der, r), req);
    expect(seen.verified, seen.out).toBe(true);
    expect(seen.out).toContain('Response Status: successful (0x0)');
    expect(seen.out).toContain('Response Type: Basic OCSP Response');
    expect(seen.out).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(seen.producedAt).toEqual(now);
    expect(seen.statuses.map((s) => [s.serial, s.status, s.reason])).toEqual([
      ['0A01', 'good', undefined],
      ['0A02', 'revoked', 'keyCompromise'],
      ['0A03', 'revoked', undefined],
      ['0A04', 'unknown', undefined],
    ]);
    expect(new Date(seen.statuses[1]!.revokedAt!)).toEqual(revokedAt);
    for (const s of seen.statuses) {
      expect(new Date(s.thisUpdate!)).toEqual(now);
      expect(new Date(s.nextUpdate!)).toEqual(new Date(now.getTime() + 24 * HOUR));
    }
    // Named by key: the SHA-1 of the issuing CA's public key bits, as openssl computes it for a CertID.
    const ids = await run('openssl', ['x509', '-in', files.issuing, '-noout', '-ocspid']);
    const keyHash = /Public key OCSP hash: (\w+)/.exec(ids.stdout)?.[1];
    expect(keyHash).toMatch(/^[0-9A-F]{40}$/);
    expect(seen.out).toContain(`Responder Id: ${keyHash}`);
    // The issuing CA's certificate travels in the response (openssl verified with the root alone).
    expect(answerIncludes(await answerOcsp(req.der, r), ca.issuing.pem)).toBe(true);
  });

  it.each(['sha256', 'sha384', 'sha512'])('a CertID hashed with %s is recognised as ours', async (digest) => {
    const { r } = responder({ '0B01': { status: 'good' } });
    const req = await request([[files.issuing, '0B01']], { digest });
    const seen = await read(await answerOcsp(req.der, r), req);
    expect(seen.verified, seen.out).toBe(true);
    expect(seen.statuses.map((s) => s.status)).toEqual(['good']);
  });

  it("a nonce is echoed and the answer signed now; another CA's CertID beside ours is unknown without asking the store", async () => {
    const { r, asked } = responder({ '0C01': { status: 'good' }, '0C02': { status: 'good' } });
    const req = await request([[files.issuing, '0C01'], [files.otherIssuing, '0C02']], { nonce: true });
    // openssl refuses to verify an answer for another CA's certificate (its signer is not that CA): nonce and statuses only.
    const seen = await read(await answerOcsp(req.der, r), req, false);
    expect(seen.producedAt).toEqual(now);
    expect(seen.out).toContain('OCSP Nonce');
    expect(seen.out).not.toMatch(/no nonce|nonce verify error/i);
    expect(seen.statuses.map((s) => [s.serial, s.status])).toEqual([
      ['0C01', 'good'],
      ['0C02', 'unknown'],
    ]);
    expect(asked).toEqual(['0C01']);
  });

  it('without a nonce the response carries none', async () => {
    const { r } = responder({ '0C03': { status: 'good' } });
    const req = await request([[files.issuing, '0C03']]);
    const seen = await read(await answerOcsp(req.der, r), req);
    expect(seen.out).not.toContain('OCSP Nonce');
  });
});

describe('kept answers', () => {
  it('a known answer is served again as the same bytes without asking the store; with a nonce it is re-signed now with the kept times', async () => {
    const cache = new OcspCache(HOUR);
    const first = responder({ '0D01': { status: 'good' } }, { cache });
    const req = await request([[files.issuing, '0D01']]);
    const bytes = await answerOcsp(req.der, first.r);
    const later = new Date(now.getTime() + 60_000);
    const second = responder({ '0D01': { status: 'good' } }, { cache, now: later });
    expect((await answerOcsp(req.der, second.r)).equals(bytes)).toBe(true);
    expect(second.asked).toEqual([]);

    const withNonce = await request([[files.issuing, '0D01']], { nonce: true });
    const seen = await read(await answerOcsp(withNonce.der, second.r), withNonce);
    expect(seen.verified, seen.out).toBe(true);
    expect(seen.producedAt).toEqual(later);
    expect(new Date(seen.statuses[0]!.thisUpdate!)).toEqual(now);
    expect(second.asked).toEqual(['0D01']);
  });

  it('an answer with an unknown serial is not kept: the store is asked again', async () => {
    const cache = new OcspCache(HOUR);
    const { r, asked } = responder({}, { cache });
    const req = await request([[files.issuing, '0E01']]);
    await answerOcsp(req.der, r);
    await answerOcsp(req.der, r);
    expect(asked).toEqual(['0E01', '0E01']);
  });

  it("each certificate's answer is kept apart: the next one asked within the hour gets its own status", async () => {
    const cache = new OcspCache(HOUR);
    const { r, asked } = responder({ '0F01': { status: 'good' }, '0F02': { status: 'revoked', revokedAt: now, reasonCode: 1 } }, { cache });
    const good = await request([[files.issuing, '0F01']]);
    const revoked = await request([[files.issuing, '0F02']]);
    expect((await read(await answerOcsp(good.der, r), good)).statuses.map((s) => s.status)).toEqual(['good']);
    expect((await read(await answerOcsp(revoked.der, r), revoked)).statuses.map((s) => s.status)).toEqual(['revoked']);
    expect(asked).toEqual(['0F01', '0F02']);
  });

  it("an answer with another CA's CertID beside ours (unknown) is not kept either: the store is asked again", async () => {
    const cache = new OcspCache(HOUR);
    const { r, asked } = responder({ '0F03': { status: 'good' } }, { cache });
    const req = await request([[files.issuing, '0F03'], [files.otherIssuing, '0F04']]);
    await answerOcsp(req.der, r);
    await answerOcsp(req.der, r);
    expect(asked).toEqual(['0F03', '0F03']);
  });

  it('a kept answer lasts exactly the reissue interval; a new revoked set drops it; a nonce answer keeps only its time', () => {
    const cache = new OcspCache(3_600_000);
    const t0 = new Date('2026-11-30T10:00:00Z');
    const bytes = Buffer.from('answer');
    cache.sync('set-1');
    cache.put('k', t0, bytes);
    expect(cache.get('k', new Date(t0.getTime() + 3_599_999))?.der).toEqual(bytes);
    expect(cache.get('k', new Date(t0.getTime() + 3_600_000))).toBeUndefined();
    cache.put('k', t0, bytes);
    expect(cache.get('k', new Date(t0.getTime() - 1))).toBeUndefined();
    cache.put('k', t0, bytes);
    cache.sync('set-1');
    expect(cache.get('k', t0)?.producedAt).toEqual(t0);
    cache.sync('set-2');
    expect(cache.get('k', t0)).toBeUndefined();
    // A nonce answer keeps the time only; a later one without a nonce adds the bytes.
    cache.put('n', t0, undefined);
    expect(cache.get('n', t0)).toEqual({ producedAt: t0 });
    cache.put('n', t0, bytes);
    expect(cache.get('n', t0)?.der).toEqual(bytes);
    // A nonce answer after that keeps the bytes already made.
    cache.put('n', t0, undefined);
    expect(cache.get('n', t0)?.der).toEqual(bytes);
  });

  it('at most 10,000 answers are kept: the next one starts the cache afresh', () => {
    const cache = new OcspCache(HOUR);
    for (let i = 0; i < 10_000; i += 1) cache.put(`k${i}`, now, undefined);
    expect(cache.get('k0', now)).toEqual({ producedAt: now });
    expect(cache.get('k9999', now)).toEqual({ producedAt: now });
    cache.put('k10000', now, undefined);
    expect(cache.get('k0', now)).toBeUndefined();
    expect(cache.get('k10000', now)).toEqual({ producedAt: now });
  });
});

describe('refusals', () => {
  it("only another CA's CertIDs: unauthorized, the store not asked", async () => {
    const { r, asked } = responder({ '0F01': { status: 'good' } });
    const req = await request([[files.otherIssuing, '0F01']]);
    expect(await answerOcsp(req.der, r)).toEqual(refusal(6));
    expect(asked).toEqual([]);
  });

  it('malformed requests: not DER, no tbsRequest, no request list, a tbsRequest that is not a SEQUENCE, an empty list, an unknown hash, a serial that is not an INTEGER', async () => {
    const { r, asked } = responder({ '1001': { status: 'good' } });
    const good = (await request([[files.issuing, '1001']])).der;
    // The CertID's hash algorithm OID 1.3.14.3.2.26 (sha1) made 1.3.14.3.2.27 (not a hash).
    const sha1Oid = Buffer.from('06052b0e03021a', 'hex');
    const at = good.indexOf(sha1Oid);
    expect(at).toBeGreaterThan(0);
    const unknownHash = Buffer.from(good);
    unknownHash[at + sha1Oid.length - 1] = 0x1b;
    // After the algorithm (9 + 2 bytes with NULL), nameHash and keyHash (22 bytes each): the serial's tag.
    const serialTag = at - 2 + 11 + 22 + 22;
    expect(good[serialTag]).toBe(0x02);
    const notInteger = Buffer.from(good);
    notInteger[serialTag] = 0x04;
    const malformed = [
      Buffer.from('not an OCSP request'),
      Buffer.from('3000', 'hex'),
      Buffer.from('30053003020100', 'hex'),
      Buffer.from('300430023000', 'hex'),
      // A tbsRequest that is an INTEGER, not a SEQUENCE: nothing inside it is read.
      Buffer.from('3003020100', 'hex'),
      unknownHash,
      notInteger,
    ];
    for (const bytes of malformed) expect(await answerOcsp(bytes, r), bytes.toString('hex')).toEqual(refusal(1));
    expect(asked).toEqual([]);
    // The unmodified request is answered.
    expect((await answerOcsp(good, r)).subarray(0, 5)).not.toEqual(refusal(1));
  });
});

function answerIncludes(answer: Buffer, pem: string): boolean {
  return answer.includes(new X509Certificate(pem).raw);
}
