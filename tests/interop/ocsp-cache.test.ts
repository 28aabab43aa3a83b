import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { run, tempDir } from '../support/tools';
import { issueForSoftwareKey, revoke, writeCaFiles } from './interop-support';

let mock: MockAms;
let dir: string;
let cleanup: () => Promise<void>;
let ca: { root: string; issuing: string; chain: string };
const clock = { offsetMs: 0 };

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-interop-ocsp-'));
  mock = await startMockAms({ dataDir: path.join(dir, 'mock'), autoApprove: true, now: () => new Date(Date.now() + clock.offsetMs) });
  ca = await writeCaFiles(mock, dir);
});
afterAll(async () => {
  await mock.close();
  await cleanup();
});

/** openssl ocsp against the mock's responder; the answer's times as openssl prints them. */
async function ask(leaf: string, nonce: boolean) {
  const result = await run('openssl', ['ocsp', '-issuer', ca.issuing, '-cert', leaf, '-url', `${mock.url}/ca/ocsp`, '-CAfile', ca.root, '-resp_text', ...(nonce ? [] : ['-no_nonce'])]);
  const out = result.stdout + result.stderr;
  expect(out).toContain('Response verify OK');
  return {
    out,
    producedAt: /Produced At: (.+)/.exec(out)?.[1],
    thisUpdate: /This Update: (.+)/.exec(out)?.[1],
    status: new RegExp(`${leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\w+)`).exec(out)?.[1],
  };
}

describe('OCSP answers are produced once and kept, like the CRLs', () => {
  it('the same serial twice: the same producedAt and bytes; a nonce is still echoed; a revocation or the next hour makes a new one', async () => {
    const { pem, serial } = await issueForSoftwareKey(mock);
    const leaf = path.join(dir, 'leaf.pem');
    await writeFile(leaf, pem);

    const first = await ask(leaf, false);
    expect(first.status).toBe('good');
    // Later, but within the hour (the mock's clock moves a minute on).
    clock.offsetMs += 60_000;
    const second = await ask(leaf, false);
    expect(second.producedAt).toBe(first.producedAt);
    expect(second.thisUpdate).toBe(first.thisUpdate);

    // RFC 6960 GET: the very same bytes twice.
    const request = path.join(dir, 'req.der');
    await run('openssl', ['ocsp', '-issuer', ca.issuing, '-cert', leaf, '-reqout', request, '-no_nonce']);
    const url = `${mock.url}/ca/ocsp/${encodeURIComponent((await readFile(request)).toString('base64'))}`;
    const [a, b] = [Buffer.from(await (await fetch(url)).arrayBuffer()), Buffer.from(await (await fetch(url)).arrayBuffer())];
    expect(a.equals(b)).toBe(true);

    // With a nonce: echoed (openssl checks it), the kept status time.
    const withNonce = await ask(leaf, true);
    expect(withNonce.out).toContain('OCSP Nonce');
    expect(withNonce.out).not.toMatch(/no nonce|nonce verify error/i);
    expect(withNonce.thisUpdate).toBe(first.thisUpdate);

    // A revocation changes the revoked set: answered at once, not from the kept "good".
    await revoke(mock, serial);
    const revoked = await ask(leaf, false);
    expect(revoked.status).toBe('revoked');
    const again = await ask(leaf, false);
    expect(again.producedAt).toBe(revoked.producedAt);

    // The clock moved (here back two hours, so openssl still accepts the times): a new answer.
    clock.offsetMs = -7_200_000;
    const moved = await ask(leaf, false);
    expect(moved.status).toBe('revoked');
    expect(moved.producedAt).not.toBe(revoked.producedAt);
    clock.offsetMs = 0;
  });
});
