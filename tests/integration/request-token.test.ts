import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedUsers } from '../../src-main/mock-ams/seed-users';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { CKR } from '../../src-main/services/pkcs11/constants';
import { TokenHost } from '../../src-main/services/pkcs11/token-host';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { TokenVault } from '../../src-main/services/token-vault';
import { fakeToken, FakePkcs11 } from '../support/fake-pkcs11';
import { catchPause } from '../support/pause-point';
import { memoryKeychain, startFlow, type Flow } from '../support/flow';
import { USER_PIN, useSoftHsmFlow } from '../support/softhsm';
import { deadPid, run } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';

describe('certificate request with the key on a SoftHSM2 token', () => {
  const fixture = useSoftHsmFlow();

  it('generates on the token, sends a CSR that verifies, and records serial and CKA_ID', async () => {
    const tokens = new TokenService(new InProcessTransport());
    const [token] = await tokens.listTokens(fixture.hsm.library);
    const { token: amsToken } = await fixture.flow.mock.mintToken(MAMAN);
    const input = { token: amsToken, keyStore: 'pkcs11' as const, library: fixture.hsm.library, tokenSerial: token!.serial, pin: USER_PIN };
    const result = await fixture.flow.service.submit(input);
    expect(result.entry).toMatchObject({ keyStore: 'pkcs11', state: 'csr_sent', amsStatus: 'issued', token: { serial: token!.serial, label: 'ST3' } });

    const [stored] = await fixture.flow.ledger.list();
    expect(stored!.keyPath).toBeUndefined();
    expect(stored!.pkcs11).toMatchObject({ library: fixture.hsm.library, keyId: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const csrFile = path.join(fixture.hsm.dir, 'request.csr');
    await writeFile(csrFile, stored!.csrPem);
    expect((await run('openssl', ['req', '-in', csrFile, '-noout', '-verify'])).stderr).toMatch(/verify OK/);

    // Resubmitting finds the key on the token again and resends the same CSR.
    expect(await fixture.flow.service.submit(input)).toMatchObject({ resent: true });
    // Asking for a file key now is refused with the reason.
    await expect(fixture.flow.service.submit({ token: amsToken, keyStore: 'file', password: 'Kunci#Rahasia2026', passwordConfirm: 'Kunci#Rahasia2026' })).rejects.toMatchObject({
      code: 'EXISTING_KEY_ON_TOKEN',
    });
    await tokens.close();
  });
});

describe('token faults leave nothing half-done (stand-in token)', () => {
  let flow: Flow;
  let fake: FakePkcs11;
  afterEach(async () => flow.cleanup());

  async function start() {
    fake = new FakePkcs11([fakeToken()]);
    flow = await startFlow({ tokens: new TokenService(new InProcessTransport(new TokenHost(() => fake))) });
    const { token } = await flow.mock.mintToken(MAMAN);
    return { token, keyStore: 'pkcs11' as const, library: '/fake/lib.so', tokenSerial: 'FAKE0001', pin: '1234' };
  }

  it.each([
    ['pulled out while signing the CSR', { C_Sign: CKR.DEVICE_REMOVED }, 'PKCS11_TOKEN_REMOVED'],
    ['pulled out while generating', { C_GenerateKeyPair: CKR.TOKEN_NOT_PRESENT }, 'PKCS11_TOKEN_REMOVED'],
    ['full', { C_GenerateKeyPair: CKR.DEVICE_MEMORY }, 'PKCS11_TOKEN_FULL'],
    ['wrong PIN', {}, 'PKCS11_PIN_INCORRECT'],
  ])('token %s: clear error, empty ledger, AMS token unused, retry works', async (name, failNext, code) => {
    const input = await start();
    fake.tokens[0]!.failNext = failNext;
    const attempt = name === 'wrong PIN' ? { ...input, pin: '0000' } : input;
    await expect(flow.service.submit(attempt)).rejects.toMatchObject({ code });
    expect(await flow.ledger.list()).toEqual([]);
    expect((await flow.service.lookup(input.token)).status).toBe('awaiting_csr');

    const retried = await flow.service.submit(input);
    expect(retried.entry).toMatchObject({ state: 'csr_sent', keyStore: 'pkcs11' });
  });

  it('a library that fails to load is reported with the system’s reason and nothing is recorded', async () => {
    const input = await start();
    fake.loadError = new Error('/fake/lib.so: cannot open shared object file: No such file or directory');
    await expect(flow.service.submit(input)).rejects.toMatchObject({ code: 'PKCS11_LIBRARY_LOAD_FAILED', detail: expect.stringContaining('cannot open shared object') });
    expect(await flow.ledger.list()).toEqual([]);
  });

  it('a token request a killed process left (its claim names no key file) is taken over by the next try', async () => {
    const input = await start();
    await flow.ledger.claim(flow.mock.url, input.token, { id: 'killed', pkcs11: { library: '/fake/lib.so', label: 'LOCK killed' } }, async () => {});
    const db = new DatabaseSync(flow.ledger.file);
    db.prepare('UPDATE requests SET owner = ? WHERE id = ?').run(`pid:${deadPid()}`, 'killed');
    db.close();
    const sent = await flow.service.submit(input);
    expect(sent.entry).toMatchObject({ state: 'csr_sent', keyStore: 'pkcs11' });
    expect((await flow.ledger.discarded()).map((d) => d.id)).toContain('killed');
  });

  it('the claim is on disk before the key, naming the token library and the key label; a label is cut at 64 characters', async () => {
    const input = await start();
    // A holder name long enough that "LOCK <name> <request id>" passes the 64 characters a label keeps.
    const name = 'RADEN MAS MUHAMMAD AGUS SETIAWAN PURNOMO HADIKUSUMO WIBOWO';
    const maman = seedUsers.find((u) => u.email === MAMAN)!;
    await flow.mock.core.createUser({ ...maman, email: 'panjang@instansi.go.id', nik: '1234567890123496', name });
    const { token, requestId } = await flow.mock.mintToken('panjang@instansi.go.id');
    const label = `LOCK ${name} ${requestId.slice(0, 8)}`.slice(0, 64);
    expect(label).toHaveLength(64);

    // Stopped where the reliability suite kills a request: just after the claim, before any key.
    const pause = catchPause('request:claimed');
    try {
      const submitted = flow.service.submit({ ...input, token });
      // A request that never stops there fails here at once, not at the test's time limit.
      await Promise.race([pause.heard, submitted.then(() => Promise.reject(new Error('the request went on past request:claimed')))]);
      const claims = await flow.ledger.claims();
      expect(claims).toEqual([{ id: expect.any(String), pkcs11: { library: '/fake/lib.so', label }, owner: `pid:${process.pid}` }]);
      expect(claims[0]).not.toHaveProperty('keyPath');
      expect(fake.objects.size).toBe(0);
    } finally {
      pause.release();
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
  });
});

describe('a download to the stand-in token', () => {
  let flow: Flow;
  afterEach(async () => flow.cleanup());

  /** A flow whose token is the stand-in, and a token request of Maman's sent and issued, ready to download. */
  async function issuedOnToken() {
    const fake = new FakePkcs11([fakeToken()]);
    const tokens = new TokenService(new InProcessTransport(new TokenHost(() => fake)));
    flow = await startFlow({ tokens });
    const vault = await TokenVault.open(async () => memoryKeychain());
    const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => path.join(flow.dataDir, '..', 'out') });
    const request = async () => {
      const { token } = await flow.mock.mintToken(MAMAN);
      const { entry } = await flow.service.submit({ token, keyStore: 'pkcs11', library: '/fake/lib.so', tokenSerial: 'FAKE0001', pin: '1234' });
      await vault.set(entry.id, token);
      return entry;
    };
    const download = (entryId: string) => certificates.download({ entryId, keyStore: 'pkcs11', pin: '1234' });
    return { fake, request, download };
  }

  it('logs out and closes its session whether writing the certificate works or fails', async () => {
    const { fake, request, download } = await issuedOnToken();
    await expect(download((await request()).id)).resolves.toMatchObject({ onToken: true });
    expect(fake.openSessions).toBe(0);
    const entry = await request();
    fake.tokens[0]!.failNext = { C_CreateObject: CKR.DEVICE_MEMORY };
    await expect(download(entry.id)).rejects.toMatchObject({ code: 'PKCS11_TOKEN_FULL' });
    expect(fake.openSessions).toBe(0);
  });

  it('a token whose signature does not verify with the certificate is refused before anything is written to it', async () => {
    const { fake, request, download } = await issuedOnToken();
    const entry = await request();
    const objects = fake.objects.size;
    fake.tokens[0]!.badSignatures = true;
    await expect(download(entry.id)).rejects.toMatchObject({ code: 'CERT_KEY_MISMATCH', detail: 'self-test signature does not verify' });
    expect(fake.objects.size).toBe(objects);
    expect(fake.openSessions).toBe(0);
    expect(await flow.ledger.get(entry.id)).toMatchObject({ state: 'csr_sent' });
  });
});
