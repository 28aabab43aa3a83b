import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, amsPaths } from '../../src/ams-api/schemas';
import { startMockAms } from '../../src-main/mock-ams/server';
import { AmsClient } from '../../src-main/services/ams-client';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { run, tempDir } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshMock(dir?: string) {
  const temp = dir ? { dir, cleanup: async () => {} } : await tempDir();
  const mock = await startMockAms({ dataDir: temp.dir, autoApprove: true });
  cleanups.push(temp.cleanup, mock.close);
  return { mock, dir: temp.dir };
}

describe('mock AMS', () => {
  it('issues a certificate that openssl verifies against the chain, with the subject, usages and SAN of the profile', async () => {
    const { mock, dir } = await freshMock();
    const { token } = await mock.mintToken(MAMAN);
    const client = new AmsClient(mock.url);
    const { employee } = await client.employee(token);
    await client.uploadCsr(token, await buildCsr(employee, softwareSigner(await generateSoftwareKey())));
    const cert = mock.store.findRequestByToken(token)!.certificate!.pem;

    const chain = await (await fetch(`${mock.url}${amsPaths.caChain}`)).text();
    const [issuing, root] = chain.split(/(?<=-----END CERTIFICATE-----\n)/);
    await writeFile(path.join(dir, 'leaf.pem'), cert);
    await writeFile(path.join(dir, 'issuing.pem'), issuing!);
    await writeFile(path.join(dir, 'root.pem'), root!);
    const verify = await run('openssl', ['verify', '-CAfile', path.join(dir, 'root.pem'), '-untrusted', path.join(dir, 'issuing.pem'), '-purpose', 'smimesign', path.join(dir, 'leaf.pem')]);
    expect(verify.stdout).toContain('leaf.pem: OK');

    const text = (await run('openssl', ['x509', '-in', path.join(dir, 'leaf.pem'), '-noout', '-text', '-nameopt', 'RFC2253'])).stdout;
    expect(text).toContain('Subject: emailAddress=maman@instansi.go.id,CN=MAMAN,OU=BIDANG OPERASIONAL,O=NAMA INSTANSI,L=Jakarta Pusat,ST=DKI Jakarta,C=ID');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation, Key Encipherment/);
    expect(text).toMatch(/Extended Key Usage:\s+E-mail Protection, TLS Web Client Authentication/);
    expect(text).toContain('email:maman@instansi.go.id');
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).toContain(`URI:${mock.url}/ca/issuing.crl`);
  });

  it('keeps users, requests, the CA and the admin key across a restart', async () => {
    const first = await freshMock();
    const { token } = await first.mock.mintToken(MAMAN);
    const { adminKey } = first.mock;
    const rootPem = first.mock.ca.root.pem;
    await first.mock.close();

    const second = await startMockAms({ dataDir: first.dir });
    cleanups.push(second.close);
    expect(second.adminKey).toBe(adminKey);
    expect(second.ca.root.pem).toBe(rootPem);
    expect((await new AmsClient(second.url).employee(token)).employee.name).toBe('MAMAN');
  });

  it('refuses CSRs that are not the employee’s, too small, or badly signed', async () => {
    const { mock } = await freshMock();
    const { token } = await mock.mintToken(MAMAN);
    const client = new AmsClient(mock.url, { retries: 0 });
    const { employee } = await client.employee(token);
    const reject = async (csr: string, reason: RegExp) => {
      await expect(client.uploadCsr(token, csr)).rejects.toMatchObject({ code: 'CSR_REJECTED', detail: expect.stringMatching(reason) });
    };
    await reject(await buildCsr({ ...employee, name: 'SOMEONE ELSE' }, softwareSigner(await generateSoftwareKey())), /subject differs/);
    await reject(await buildCsr(employee, softwareSigner(await generateSoftwareKey(1024))), /at least 2048/);
    const good = await buildCsr(employee, softwareSigner(await generateSoftwareKey()));
    const lines = good.split('\n');
    const middle = lines[5]!;
    lines[5] = middle.slice(0, 10) + (middle[10] === 'A' ? 'B' : 'A') + middle.slice(11);
    await reject(lines.join('\n'), /signature|parsed/);
    await reject('not a csr', /parsed/);
    // None of those used the token up.
    expect((await client.employee(token)).status).toBe('awaiting_csr');
  });

  it('stores exactly one CSR when 50 uploads for one token arrive at once', async () => {
    const { mock } = await freshMock();
    const { token } = await mock.mintToken(MAMAN);
    const { employee } = await new AmsClient(mock.url).employee(token);
    const csrs = await Promise.all(Array.from({ length: 5 }, async () => buildCsr(employee, softwareSigner(await generateSoftwareKey()))));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${mock.url}${amsPaths.csr}`, { method: 'POST', body: JSON.stringify({ token, csr: csrs[i % 5] }) }).then((r) => r.status),
      ),
    );
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value : 0));
    const stored = mock.store.findRequestByToken(token)!.csrPem;
    const winner = csrs.indexOf(stored!);
    expect(winner).toBeGreaterThanOrEqual(0);
    statuses.forEach((status, i) => expect(status, `upload ${i}`).toBe(i % 5 === winner ? 200 : 409));
  });

  it('guards the admin API with the admin key and binds to loopback', async () => {
    const { mock } = await freshMock();
    expect(new URL(mock.url).hostname).toBe('127.0.0.1');
    const post = (headers: Record<string, string>) =>
      fetch(`${mock.url}${amsPaths.adminTokens}`, { method: 'POST', headers, body: JSON.stringify({ email: MAMAN }) });
    expect((await post({})).status).toBe(401);
    expect((await post({ [ADMIN_KEY_HEADER]: 'x'.repeat(mock.adminKey.length) })).status).toBe(401);
    expect((await post({ [ADMIN_KEY_HEADER]: mock.adminKey })).status).toBe(201);
  });
});
