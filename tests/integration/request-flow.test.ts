import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { AmsClient } from '../../src-main/services/ams-client';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { startFlow, STRONG_PASSWORD, type Flow } from '../support/flow';
import { run } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((error) => error instanceof AppError && error.code === code);
}

describe('certificate request over real HTTP (file key)', () => {
  let flow: Flow;
  beforeEach(async () => {
    flow = await startFlow();
  });
  afterEach(async () => flow.cleanup());

  it('shows the employee data, sends a CSR openssl verifies, and the mock issues a certificate', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const pasted = `  "${token.slice(0, 10)}\n${token.slice(10)}"\u200B `;

    const lookup = await flow.service.lookup(pasted);
    expect(lookup.employee).toMatchObject({ name: 'MAMAN', email: MAMAN, unit: 'BIDANG OPERASIONAL', country: 'ID' });
    expect(lookup.status).toBe('awaiting_csr');

    const steps: string[] = [];
    const result = await flow.service.submit(
      { token: pasted, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD },
      (p) => steps.push(p.step),
    );
    expect(steps).toEqual(['lookup', 'keygen', 'csr', 'upload', 'done']);
    expect(result.resent).toBe(false);
    expect(result.entry).toMatchObject({ state: 'csr_sent', amsStatus: 'issued', keyStore: 'file' });

    const [stored] = await flow.ledger.list();
    const csrFile = path.join(flow.dataDir, 'check.csr');
    await fs.writeFile(csrFile, stored!.csrPem);
    const verify = await run('openssl', ['req', '-in', csrFile, '-noout', '-verify', '-subject', '-nameopt', 'RFC2253']);
    expect(verify.stderr + verify.stdout).toMatch(/verify OK/i);
    expect(verify.stdout).toContain('CN=MAMAN,OU=BIDANG OPERASIONAL,O=NAMA INSTANSI,L=Jakarta Pusat,ST=DKI Jakarta,C=ID');
    const text = await run('openssl', ['req', '-in', csrFile, '-noout', '-text']);
    expect(text.stdout).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text.stdout).toContain(`email:${MAMAN}`);

    // The key file: encrypted PKCS#8, owner-only, opened by openssl with the password only.
    const keyPath = stored!.keyPath!;
    expect((await fs.stat(keyPath)).mode & 0o777).toBe(0o600);
    const pem = await fs.readFile(keyPath, 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const parsed = await run('openssl', ['asn1parse', '-in', keyPath]);
    expect(parsed.stdout).toContain('PBES2');
    expect(parsed.stdout).toContain('hmacWithSHA256');
    expect(parsed.stdout).toContain('aes-256-cbc');
    expect(parsed.stdout).toMatch(/INTEGER\s+:0927C0/); // 600000 iterations
    const good = await run('openssl', ['pkey', '-in', keyPath, '-passin', `pass:${STRONG_PASSWORD}`, '-pubout']);
    expect(good.code).toBe(0);
    const csrPub = await run('openssl', ['req', '-in', csrFile, '-noout', '-pubkey']);
    expect(good.stdout).toBe(csrPub.stdout);
    const bad = await run('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:Wrong#Password1', '-noout']);
    expect(bad.code).not.toBe(0);

    const status = await flow.service.status(token);
    expect(status.status).toBe('issued');
    expect(status.certificate?.serialNumber).toMatch(/^[0-9A-F]+$/);
  });

  it('resubmitting the same token resends the same CSR; a different CSR is refused', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const input = { token, keyStore: 'file' as const, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD };
    await flow.service.submit(input);
    const again = await flow.service.submit(input);
    expect(again.resent).toBe(true);
    expect(await flow.ledger.list()).toHaveLength(1);

    await expectCode(flow.service.submit({ ...input, password: 'Lain#Password99', passwordConfirm: 'Lain#Password99' }), 'KEY_PASSWORD_INCORRECT');

    const lookup = await flow.service.lookup(token);
    const other = await buildCsr(lookup.employee, softwareSigner(await generateSoftwareKey()));
    await expectCode(new AmsClient(flow.mock.url).uploadCsr(token, other), 'TOKEN_ALREADY_USED');
  });

  it('two submissions at once (a double click) make one key and one request', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    const input = { token, keyStore: 'file' as const, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD };
    const [a, b] = await Promise.all([flow.service.submit(input), flow.service.submit(input)]);
    expect(a.entry.id).toBe(b.entry.id);
    expect((await fs.readdir(path.join(flow.dataDir, 'keys'))).filter((f) => f.endsWith('.pem'))).toHaveLength(1);
  });

  it('refuses a weak or mismatched password before any key is made', async () => {
    const { token } = await flow.mock.mintToken(MAMAN);
    await expectCode(flow.service.submit({ token, keyStore: 'file', password: 'password1', passwordConfirm: 'password1' }), 'PASSWORD_WEAK');
    await expectCode(flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: 'x' }), 'PASSWORD_MISMATCH');
    await expect(fs.readdir(path.join(flow.dataDir, 'keys'))).rejects.toThrow();
    expect(await flow.ledger.list()).toHaveLength(0);
    expect((await flow.service.lookup(token)).status).toBe('awaiting_csr');
  });

  it('gives malformed, unknown, expired and used tokens their own codes', async () => {
    await expectCode(flow.service.lookup('   '), 'TOKEN_EMPTY');
    await expectCode(flow.service.lookup('abc<script>'), 'TOKEN_MALFORMED');
    await expectCode(flow.service.lookup('A'.repeat(32)), 'TOKEN_UNKNOWN');

    const { token } = await flow.mock.mintToken(MAMAN);
    flow.clock.offsetMs = 8 * 86_400_000;
    await expectCode(flow.service.lookup(token), 'TOKEN_EXPIRED');
    await expectCode(flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }), 'TOKEN_EXPIRED');
    expect(await flow.ledger.list()).toHaveLength(0);
    flow.clock.offsetMs = 0;

    // Used from another computer: this one has no key for it.
    const used = await flow.mock.mintToken(MAMAN);
    const lookup = await flow.service.lookup(used.token);
    await new AmsClient(flow.mock.url).uploadCsr(used.token, await buildCsr(lookup.employee, softwareSigner(await generateSoftwareKey())));
    expect(await flow.service.lookup(used.token)).toMatchObject({ status: 'issued', pendingLocally: false });
    await expectCode(
      flow.service.submit({ token: used.token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }),
      'TOKEN_ALREADY_USED',
    );
  });
});

describe('when AMS fails', () => {
  let flow: Flow;
  afterEach(async () => flow.cleanup());

  it('a lost answer after the CSR was stored loses nothing: the retry resends the same CSR', async () => {
    flow = await startFlow({ client: { retries: 0 } });
    const { token } = await flow.mock.mintToken(MAMAN);
    flow.mock.faults.dropAfterCsrStored = 1;
    const input = { token, keyStore: 'file' as const, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD };
    await expectCode(flow.service.submit(input), 'SERVER_UNREACHABLE');
    const [pending] = await flow.ledger.list();
    expect(pending).toMatchObject({ state: 'csr_ready' });
    expect(await flow.service.lookup(token)).toMatchObject({ status: 'issued', pendingLocally: true, pendingKeyStore: 'file' });

    const retried = await flow.service.submit(input);
    expect(retried).toMatchObject({ resent: true, entry: { state: 'csr_sent', id: pending!.id } });
    const [sent] = await flow.ledger.list();
    expect(sent!.csrPem).toBe(pending!.csrPem);
  });

  it('bounded retries ride out a dropped connection and a 500 without the user noticing', async () => {
    flow = await startFlow();
    const { token } = await flow.mock.mintToken(MAMAN);
    flow.mock.faults.dropAfterCsrStored = 1;
    flow.mock.faults.serverErrors = 1;
    const result = await flow.service.submit({ token, keyStore: 'file', password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    expect(result.entry.state).toBe('csr_sent');
  });

  it('reports a server that is down, slow, broken or answering garbage', async () => {
    flow = await startFlow({ client: { retries: 0, timeoutMs: 300 } });
    const { token } = await flow.mock.mintToken(MAMAN);
    flow.mock.faults.garbage = 1;
    await expectCode(flow.service.lookup(token), 'SERVER_BAD_RESPONSE');
    flow.mock.faults.serverErrors = 1;
    await expectCode(flow.service.lookup(token), 'SERVER_ERROR');
    flow.mock.faults.latencyMs = 1000;
    await expectCode(flow.service.lookup(token), 'SERVER_TIMEOUT');
    flow.mock.faults.latencyMs = 0;
    const down = new AmsClient('http://127.0.0.1:9', { retries: 0 });
    await expectCode(down.employee(token), 'SERVER_UNREACHABLE');
  });
});
