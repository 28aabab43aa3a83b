import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/contract/errors';
import { startMockAms } from '../../src-main/mock-ams/server';
import { hashToken, MockStore, type LegacyState } from '../../src-main/mock-ams/store';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { amsPaths } from '../../src/ams-api/schemas';
import { AmsClient } from '../../src-main/services/ams-client';
import { issueDayCertificate } from '../support/test-certificate';
import { tempDir } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function dir(): Promise<string> {
  const temp = await tempDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

async function start(dataDir: string) {
  const problems: AppError[] = [];
  const mock = await startMockAms({ dataDir, autoApprove: true, onProblem: (p) => problems.push(p) });
  cleanups.push(mock.close);
  return { mock, problems };
}

function legacyState(token: string): LegacyState {
  const fresh = MockStore.fresh('legacy-admin-key-0123456789abcdef');
  const stamp = new Date().toISOString();
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return {
    ...fresh,
    clockOffsetMs: 3 * 86_400_000,
    requests: [
      { id: 'r-1', email: MAMAN, type: 'issue', product: 'Proteksi Email', tokenHash: hashToken(token), tokenExpiresAt: expires, status: 'awaiting_csr', createdAt: stamp, updatedAt: stamp },
    ],
  };
}

describe('mock AMS store (node:sqlite)', () => {
  it('migrates an existing state.json once, keeps it as state.json.migrated, and serves its tokens', async () => {
    const dataDir = await dir();
    const token = 'A'.repeat(40);
    const legacy = legacyState(token);
    await writeFile(path.join(dataDir, 'state.json'), JSON.stringify(legacy));

    const first = await start(dataDir);
    expect(first.problems).toEqual([]);
    expect(first.mock.adminKey).toBe(legacy.adminKey);
    expect(first.mock.store.clockOffsetMs).toBe(legacy.clockOffsetMs);
    expect(first.mock.store.findRequestByToken(token)?.id).toBe('r-1');
    expect(existsSync(path.join(dataDir, 'state.json'))).toBe(false);
    expect(JSON.parse(await readFile(path.join(dataDir, 'state.json.migrated'), 'utf8'))).toEqual(legacy);
    expect((await new AmsClient(first.mock.url).employee(token)).employee.name).toBe('MAMAN');
    const { token: second } = await first.mock.mintToken(MAMAN);
    await first.mock.close();

    // The database is the state now: a restart keeps both requests and migrates nothing again.
    const again = await start(dataDir);
    expect(again.mock.store.requests().map((r) => r.id)[0]).toBe('r-1');
    expect(again.mock.store.findRequestByToken(second)).toBeDefined();
    expect(again.mock.store.requestCount()).toBe(2);
  });

  it('a migrated request and user keep every field they had, and take the defaults for those they lacked', async () => {
    const dataDir = await dir();
    const legacy = legacyState('B'.repeat(40));
    const at = new Date().toISOString();
    const certificate = { pem: 'PEM', serialNumber: '0A0B', notBefore: at, notAfter: at, revokedAt: at, revocationReason: 'superseded', renewedAt: at };
    const full = {
      id: 'r-full', email: MAMAN, type: 'renew', product: 'Proteksi Email', tokenHash: hashToken('C'.repeat(40)), tokenExpiresAt: at, status: 'issued', note: 'Disetujui',
      csrPem: 'CSR', letter: { file: 'r-full.pdf', size: 1234, uploadedAt: at }, agreedAt: at, verification: { decision: 'approved', at }, enrollment: 'success',
      subjectSerial: '0A0A', certificate, createdAt: at, updatedAt: at,
    } as const;
    const rejected = { ...full, id: 'r-rejected', tokenHash: hashToken('D'.repeat(40)), type: undefined, status: 'rejected', verification: { decision: 'rejected', at }, enrollment: 'failed', certificate: undefined };
    const verifier = { ...legacy.users[0]!, email: 'verifier@instansi.go.id', nik: '1234567890123495', employment: 'Lainnya', role: 'verifier' } as const;
    const { employment: _e, role: _r, ...plain } = { ...legacy.users[0]!, email: 'plain@instansi.go.id', nik: '1234567890123494' };
    await writeFile(path.join(dataDir, 'state.json'), JSON.stringify({ ...legacy, users: [...legacy.users, verifier, plain], requests: [...legacy.requests, full, rejected] }));
    const { mock, problems } = await start(dataDir);
    expect(problems).toEqual([]);
    expect(mock.store.findRequest('r-full')).toEqual(full);
    expect(mock.store.findRequest('r-rejected')).toEqual({ ...rejected, type: 'issue', certificate: undefined });
    expect(mock.store.findUser('verifier@instansi.go.id')).toEqual(verifier);
    expect(mock.store.findUser('plain@instansi.go.id')).toEqual({ ...plain, employment: 'ASN', role: 'user' });
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"version":1,"adminKey":"k","users":['],
    ['random bytes', '\u0000\u00ff\u0013garbage'],
    ['wrong shape', '{"version":2}'],
  ])('sets a damaged state.json (%s) aside with a coded error naming it, and keeps working', async (_name, content) => {
    const dataDir = await dir();
    await writeFile(path.join(dataDir, 'state.json'), content);
    const { mock, problems } = await start(dataDir);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('MOCK_STATE_DAMAGED');
    expect(problems[0]!.detail).toContain(path.join(dataDir, 'state.json'));
    const aside = (await readdir(dataDir)).filter((name) => /^state\.damaged-.*\.json$/.test(name));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dataDir, aside[0]!), 'utf8')).toBe(content);
    expect(problems[0]!.detail).toContain(aside[0]);
    const { token } = await mock.mintToken(MAMAN);
    expect((await new AmsClient(mock.url).employee(token)).employee.name).toBe('MAMAN');
  });

  it('sets a damaged database aside with a coded error naming it, and keeps working', async () => {
    const dataDir = await dir();
    const first = await start(dataDir);
    await first.mock.mintToken(MAMAN);
    await first.mock.close();
    const db = path.join(dataDir, 'state.db');
    const bytes = await readFile(db);
    bytes.fill(0x5a, 0, 100); // the header: no longer an SQLite file
    await writeFile(db, bytes);

    const { mock, problems } = await start(dataDir);
    expect(problems.map((p) => p.code)).toEqual(['MOCK_STATE_DAMAGED']);
    expect(problems[0]!.detail).toContain(db);
    expect((await readdir(dataDir)).some((name) => /^state\.damaged-.*\.db$/.test(name))).toBe(true);
    expect(mock.store.requestCount()).toBe(0);
    const { token } = await mock.mintToken(MAMAN);
    expect(mock.store.findRequestByToken(token)).toBeDefined();
  });

  it('removes temp files left by killed writes', async () => {
    const dataDir = await dir();
    const stale = path.join(dataDir, '.state.json.0123456789ab.tmp');
    await writeFile(stale, '{"half":');
    const kept = path.join(dataDir, 'notes.tmp');
    await writeFile(kept, 'not ours');
    await start(dataDir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(kept)).toBe(true);
  });

  it('its database holds the admin key and token hashes: readable by the mock\'s user only (0600)', async () => {
    const dataDir = await dir();
    await start(dataDir);
    expect((await stat(path.join(dataDir, 'state.db'))).mode & 0o777).toBe(0o600);
  });

  it('a fresh CA: a root named TESTING ONLY for 20 years, keys 0600, leaves that are no CA; a restart at the same address keeps it', async () => {
    const dataDir = await dir();
    const first = await start(dataDir);
    const root = new X509Certificate(first.mock.ca.root.pem);
    expect(root.subject).toBe('C=ID\nO=Mock BSrE (TESTING ONLY)\nCN=Mock Root CA BSrE (TESTING ONLY)');
    const years = (Date.parse(root.validTo) - Date.now()) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(19.9);
    expect(years).toBeLessThan(20.1);
    for (const key of ['root.key.pem', 'issuing.key.pem']) expect((await stat(path.join(dataDir, 'ca', key))).mode & 0o777).toBe(0o600);
    const leaf = await issueDayCertificate(first.mock.ca, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(new X509Certificate(leaf.pem).ca).toBe(false);
    expect(forge.pki.certificateFromPem(leaf.pem).getExtension('basicConstraints')).toMatchObject({ cA: false, critical: true });
    // Signing documents as well as mail: the Adobe and Microsoft document-signing purposes.
    const usages = forge.pki.certificateFromPem(leaf.pem).getExtension('extKeyUsage') as Record<string, unknown>;
    expect(usages).toMatchObject({ '1.3.6.1.5.5.7.3.36': true, '1.3.6.1.4.1.311.10.3.12': true });
    // The issuing CA: TESTING ONLY too, ten years, a CA that signs certificates, CRLs and OCSP answers.
    const issuingCa = new X509Certificate(first.mock.ca.issuing.pem);
    expect(issuingCa.subject).toMatch(/^C=ID\nO=Mock BSrE \(TESTING ONLY\)\nCN=.*TESTING ONLY/);
    expect((Date.parse(issuingCa.validTo) - Date.now()) / (365 * 86_400_000)).toBeCloseTo(10, 1);
    const issuingForge = forge.pki.certificateFromPem(first.mock.ca.issuing.pem);
    expect(issuingForge.getExtension('basicConstraints')).toMatchObject({ cA: true, pathLenConstraint: 0, critical: true });
    expect(issuingForge.getExtension('keyUsage')).toMatchObject({ keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
    const issuing = await readFile(path.join(dataDir, 'ca', 'issuing.pem'), 'utf8');
    // A day later: a re-certified issuing CA would differ (RSA signatures are deterministic; the same second would not).
    await first.mock.ca.useBaseUrl(first.mock.url, new Date(Date.now() + 86_400_000));
    expect(await readFile(path.join(dataDir, 'ca', 'issuing.pem'), 'utf8')).toBe(issuing);
  });

  it('a CA folder whose key does not parse is refused, never replaced by a new CA', async () => {
    const dataDir = await dir();
    const first = await start(dataDir);
    const rootPem = first.mock.ca.root.pem;
    await first.mock.close();
    const keyFile = path.join(dataDir, 'ca', 'root.key.pem');
    await writeFile(keyFile, '-----BEGIN PRIVATE KEY-----\ndamaged\n-----END PRIVATE KEY-----\n');
    await expect(TestCa.openOrCreate(path.join(dataDir, 'ca'), new Date())).rejects.toThrow();
    expect(await readFile(path.join(dataDir, 'ca', 'root.pem'), 'utf8')).toBe(rootPem);
    expect(await readFile(keyFile, 'utf8')).toContain('damaged');
  });

  it('writes each change as its own row: a second store on the same file sees it at once', async () => {
    const dataDir = await dir();
    const { mock } = await start(dataDir);
    const { token, requestId } = await mock.mintToken(MAMAN);
    const reader = MockStore.open(dataDir).store;
    cleanups.push(() => reader.close());
    expect(reader.findRequestByToken(token)?.id).toBe(requestId);
    await mock.core.expireToken(requestId);
    expect(Date.parse(reader.findRequest(requestId)!.tokenExpiresAt!)).toBeLessThan(Date.now());
  });

  it('a migrated request whose employee is not in the store: its token is unknown (404 "unknown token"), not a crash', async () => {
    const dataDir = await dir();
    const token = 'B'.repeat(40);
    const legacy = legacyState(token);
    legacy.requests[0]!.email = 'nobody@instansi.go.id';
    await writeFile(path.join(dataDir, 'state.json'), JSON.stringify(legacy));
    const { mock, problems } = await start(dataDir);
    expect(problems).toEqual([]);
    expect(mock.store.findRequestByToken(token)?.id).toBe('r-1');
    const answer = await fetch(`${mock.url}${amsPaths.employee}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: { code: 'TOKEN_UNKNOWN', message: 'unknown token' } });
  });
});
