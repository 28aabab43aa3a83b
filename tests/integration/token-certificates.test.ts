import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { subjectFor } from '../../src/domain/employee';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { forgePublicKey } from '../../src-main/services/forge-util';
import { softwareSigner } from '../../src-main/services/software-key';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { classifyCertificates, fingerprintOf, TokenCertificateService } from '../../src-main/services/token-certificate-service';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain } from '../support/flow';
import { USER_PIN, useSoftHsmFlow } from '../support/softhsm';
import { run, tempDir } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';
const DAY = 86_400_000;

/** pkcs11-tool's object listing, logged in (private keys too), split into blocks. */
async function tokenObjects(library: string, conf: string): Promise<{ kind: string; id: string; label: string; serial: string }[]> {
  const listed = await run('pkcs11-tool', ['--module', library, '--login', '--pin', USER_PIN, '--list-objects'], { env: { ...process.env, SOFTHSM2_CONF: conf } });
  expect(listed.code, listed.stderr).toBe(0);
  return listed.stdout
    .split(/\n(?=\S)/)
    .filter((b) => / Object/.test(b.split('\n')[0]!))
    .map((b) => ({
      kind: b.split(';')[0]!.trim(),
      id: /ID:\s+([0-9a-f]+)/.exec(b)?.[1] ?? '',
      label: /label:\s+(.+)/.exec(b)?.[1]?.trim() ?? '',
      serial: /serial:\s+([0-9A-Fa-f]+)/.exec(b)?.[1]?.toUpperCase() ?? '',
    }));
}

describe('the Download tab removes a replaced certificate from the token (SoftHSM2)', () => {
  const fixture = useSoftHsmFlow();

  it('lists current, replaced and CA certificates; removes only the replaced one, with its key; refuses the current one and CAs', async () => {
    const { flow, hsm } = fixture;
    const tokens = new TokenService(new InProcessTransport());
    const vault = await TokenVault.open(async () => memoryKeychain());
    const outputDir = path.join(flow.dataDir, '..', 'out');
    const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => outputDir });
    const manager = new TokenCertificateService({ tokens, ledger: flow.ledger });
    const [token] = await tokens.listTokens(hsm.library);
    const serial = token!.serial;

    const issue = async (amsToken: string) => {
      const { entry } = await flow.service.submit({ token: amsToken, keyStore: 'pkcs11', library: hsm.library, tokenSerial: serial, pin: USER_PIN });
      await vault.set(entry.id, amsToken);
      return certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: USER_PIN });
    };
    const first = await issue((await flow.mock.mintToken(MAMAN)).token);
    const oldSerial = first.entry.certificate!.serialNumber;

    // Renewal opens at H-30: the mock's clock moves there for the request, back for the issuance.
    flow.clock.offsetMs = 340 * DAY;
    const renewal = await flow.mock.core.renew(oldSerial, MAMAN);
    flow.clock.offsetMs = 0;
    const second = await issue(renewal.token);
    const newSerial = second.entry.certificate!.serialNumber;
    expect(newSerial).not.toBe(oldSerial);
    // AMS now calls the first one Renew; the ledger learns it.
    await certificates.refresh();

    const listed = await manager.list(hsm.library, serial);
    expect(listed).toHaveLength(4);
    const old = listed.find((c) => c.serialNumber === oldSerial)!;
    const current = listed.find((c) => c.serialNumber === newSerial)!;
    expect(old).toMatchObject({ category: 'holder', state: 'replaced', removable: true, removesKey: true, commonName: 'MAMAN' });
    expect(old.label).toMatch(/^MAMAN \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d replaced$/);
    expect(current).toMatchObject({ category: 'holder', state: 'current', removable: false, removesKey: false });
    expect(old.keyId).not.toBe(current.keyId);
    const authorities = listed.filter((c) => c.category === 'authority');
    expect(authorities.map((c) => c.state)).toEqual(['current', 'current']);
    expect(authorities.every((c) => !c.removable)).toBe(true);

    const before = await tokenObjects(hsm.library, hsm.conf);
    expect(before.filter((o) => o.id === old.keyId).map((o) => o.kind).sort()).toEqual(['Certificate Object', 'Private Key Object', 'Public Key Object']);

    // Refused: the current certificate, a CA certificate, a wrong PIN; nothing is touched.
    await expect(manager.remove(hsm.library, { tokenSerial: serial, pin: USER_PIN }, current.fingerprint)).rejects.toMatchObject({ code: 'CERT_STILL_IN_USE' });
    await expect(manager.remove(hsm.library, { tokenSerial: serial, pin: USER_PIN }, authorities[0]!.fingerprint)).rejects.toMatchObject({ code: 'CERT_STILL_IN_USE' });
    await expect(manager.remove(hsm.library, { tokenSerial: serial, pin: '000000' }, old.fingerprint)).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    expect(await tokenObjects(hsm.library, hsm.conf)).toEqual(before);

    const removed = await manager.remove(hsm.library, { tokenSerial: serial, pin: USER_PIN }, old.fingerprint);
    expect(removed).toMatchObject({ removed: { fingerprint: old.fingerprint, serialNumber: oldSerial }, keyRemoved: true });

    // Read back with pkcs11-tool: exactly the old certificate and its key pair are gone.
    const after = await tokenObjects(hsm.library, hsm.conf);
    expect(after.filter((o) => o.id === old.keyId)).toEqual([]);
    expect(after).toEqual(before.filter((o) => o.id !== old.keyId));
    expect(after.filter((o) => o.id === current.keyId).map((o) => o.kind).sort()).toEqual(['Certificate Object', 'Private Key Object', 'Public Key Object']);
    expect(after.filter((o) => o.kind === 'Certificate Object')).toHaveLength(3);
    // The current key still signs: a download again passes its self-test on the token.
    await expect(certificates.download({ entryId: second.entry.id, keyStore: 'pkcs11', pin: USER_PIN })).resolves.toMatchObject({ selfTest: 'passed' });

    expect((await manager.list(hsm.library, serial)).map((c) => c.serialNumber)).not.toContain(oldSerial);
    await expect(manager.remove(hsm.library, { tokenSerial: serial, pin: USER_PIN }, old.fingerprint)).rejects.toMatchObject({ code: 'CERT_NOT_ON_TOKEN' });
    await tokens.close();
  });
});

describe('token certificate states', () => {
  it('expired, revoked (AMS), replaced (AMS or a newer one of the same holder), current; a shared key stays', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
      const at = async (from: number, to: number) => {
        const publicKey = forgePublicKey(softwareSigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
        const issued = await ca.issue({ subject: subjectFor(MAMAN_EMPLOYEE), email: MAMAN, publicKey, notBefore: new Date(Date.now() + from), notAfter: new Date(Date.now() + to), baseUrl: 'http://127.0.0.1:1' });
        return new X509Certificate(issued.pem);
      };
      const expired = await at(-3 * DAY, -DAY);
      const older = await at(-2 * DAY, 300 * DAY);
      const newer = await at(-DAY, 365 * DAY);
      const newest = await at(-60_000, 366 * DAY);
      const stored = [
        { id: 'aa', label: 'expired', der: expired.raw },
        { id: 'bb', label: 'older', der: older.raw },
        { id: 'cc', label: 'newer', der: newer.raw },
        { id: 'cc', label: 'newest', der: newest.raw },
        { id: 'dd', label: 'ca', der: new X509Certificate(ca.root.pem).raw },
        { id: 'ee', label: 'garbage', der: Buffer.from('not a certificate') },
      ];
      const states = (revoked: string[], renewed: string[] = [], keyIds?: Set<string>) =>
        Object.fromEntries(classifyCertificates(stored, { revoked: new Set(revoked), renewed: new Set(renewed) }, new Date(), keyIds).map((c) => [c.label, [c.state, c.removable, c.removesKey]]));

      // The newest revoked by AMS does not make the one before it "replaced"; the newer valid one does.
      expect(states([newest.serialNumber])).toEqual({
        expired: ['expired', true, true],
        older: ['replaced', true, true],
        newer: ['current', false, false],
        // Its key is the current certificate's: the key stays.
        newest: ['revoked', true, false],
        ca: ['current', false, false],
      });
      // Nothing from AMS: the newest of the holder is current, the others replaced.
      expect(states([])).toMatchObject({ older: ['replaced', true, true], newer: ['replaced', true, false], newest: ['current', false, false] });
      // AMS's word: renewed makes even the newest replaced (its successor is elsewhere).
      expect(states([], [newest.serialNumber])).toMatchObject({ newest: ['replaced', true, false] });
      // Without the key beside it (no public key with that CKA_ID), removing the certificate removes no key.
      expect(states([], [], new Set(['cc']))).toMatchObject({ expired: ['expired', true, false], older: ['replaced', true, false] });
      expect(classifyCertificates(stored, { revoked: new Set(), renewed: new Set() }, new Date()).find((c) => c.label === 'older')!.fingerprint).toBe(fingerprintOf(older.raw));
    } finally {
      await cleanup();
    }
  });
});
