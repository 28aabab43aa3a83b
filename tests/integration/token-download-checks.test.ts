import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { TokenService, InProcessTransport } from '../../src-main/services/pkcs11/token-service';
import { TokenVault } from '../../src-main/services/token-vault';
import { memoryKeychain } from '../support/flow';
import { USER_PIN, useSoftHsmFlow } from '../support/softhsm';
import { run } from '../support/tools';

const MAMAN = 'maman@instansi.go.id';

/** The token's certificate objects as pkcs11-tool lists them (label per certificate). */
async function certificateLabels(library: string, conf: string): Promise<string[]> {
  const listed = await run('pkcs11-tool', ['--module', library, '--list-objects', '--type', 'cert'], { env: { ...process.env, SOFTHSM2_CONF: conf } });
  expect(listed.code, listed.stderr).toBe(0);
  return [...listed.stdout.matchAll(/^Certificate Object[^\n]*\n\s+label:\s+([^\n]*)/gm)].map((m) => m[1]!.trim());
}

describe('a download to the token checks what AMS sent against the key on the token (SoftHSM2)', () => {
  const fixture = useSoftHsmFlow();

  const setUp = async () => {
    const { flow, hsm } = fixture;
    const tokens = new TokenService(new InProcessTransport());
    const vault = await TokenVault.open(async () => memoryKeychain());
    const outputDir = path.join(flow.dataDir, '..', 'out');
    const certificates = new CertificateService({ ledger: flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => outputDir });
    const [token] = await tokens.listTokens(hsm.library);
    const request = async (step: (name: string) => void = () => {}) => {
      const { token: amsToken } = await flow.mock.mintToken(MAMAN);
      const input = { token: amsToken, keyStore: 'pkcs11' as const, library: hsm.library, tokenSerial: token!.serial, pin: USER_PIN };
      const { entry } = await flow.service.submit(input, (p) => step(p.step));
      await vault.set(entry.id, amsToken);
      return { entry, amsToken };
    };
    return { tokens, certificates, outputDir, serial: token!.serial, request };
  };

  it('a certificate for the other key on the same token is refused before the PIN is used and before anything is written', async () => {
    const { flow, hsm } = fixture;
    const { tokens, certificates, outputDir, serial, request } = await setUp();
    const made = [await request(), await request()];
    // The entry names the token it was made on, with the label the token reports.
    expect(made[0]!.entry.token).toEqual({ serial, label: 'ST3' });
    // The key on the token is labelled with the holder and the request it is for.
    const requestId = flow.mock.store.findRequestByToken(made[0]!.amsToken)!.id;
    expect((await flow.ledger.get(made[0]!.entry.id))!.pkcs11!.label).toBe(`LOCK MAMAN ${requestId.slice(0, 8)}`);
    // AMS answers the first request with the second's certificate: a real certificate, of the same holder and CA.
    const [first, second] = made.map((m) => flow.mock.store.findRequestByToken(m.amsToken)!);
    flow.mock.store.putRequest({ ...first!, certificate: second!.certificate! });

    // Answered as if the key were in a file: the token holds it, and the answer says so.
    await expect(certificates.download({ entryId: made[0]!.entry.id, keyStore: 'file', password: 'Kunci#Rahasia2026' })).rejects.toMatchObject({ code: 'EXISTING_KEY_ON_TOKEN' });
    // Checked before the PIN is tried: a wrong PIN is not even used (a token counts each wrong try).
    await expect(certificates.download({ entryId: made[0]!.entry.id, keyStore: 'pkcs11', pin: '000000' })).rejects.toMatchObject({ code: 'CERT_KEY_MISMATCH' });
    await expect(certificates.download({ entryId: made[0]!.entry.id, keyStore: 'pkcs11', pin: USER_PIN })).rejects.toMatchObject({ code: 'CERT_KEY_MISMATCH' });
    expect(await certificateLabels(hsm.library, hsm.conf)).toEqual([]);
    expect(existsSync(outputDir) ? await readdir(outputDir) : []).toEqual([]);
    expect((await flow.ledger.get(made[0]!.entry.id))!.state).not.toBe('downloaded');
    await tokens.close();
  });

  it('a token whose key under the recorded CKA_ID is another key: PKCS11_KEY_NOT_FOUND, nothing written', async () => {
    const { flow, hsm } = fixture;
    const { tokens, certificates, outputDir, request } = await setUp();
    const before = await certificateLabels(hsm.library, hsm.conf);
    const mine = await request();
    const other = await request();
    // Another tool put a different key under this request's CKA_ID (the modulus recorded stays this request's).
    const otherId = (await flow.ledger.get(other.entry.id))!.pkcs11!.keyId;
    await flow.ledger.update(mine.entry.id, (current) => ({ pkcs11: { ...current.pkcs11!, keyId: otherId } }));
    const files = existsSync(outputDir) ? await readdir(outputDir) : [];
    // The key is looked up by CKA_ID and modulus together, before any PIN or signature.
    await expect(certificates.download({ entryId: mine.entry.id, keyStore: 'pkcs11', pin: USER_PIN })).rejects.toMatchObject({ code: 'PKCS11_KEY_NOT_FOUND' });
    expect(await certificateLabels(hsm.library, hsm.conf)).toEqual(before);
    expect(existsSync(outputDir) ? await readdir(outputDir) : []).toEqual(files);
    await tokens.close();
  });

  it('an earlier certificate AMS revoked is relabelled "revoked" on the token when the next one is written', async () => {
    const { flow, hsm } = fixture;
    const { tokens, certificates, request } = await setUp();
    const before = await certificateLabels(hsm.library, hsm.conf);
    const submitSteps: string[] = [];
    const { entry } = await request();
    const downloaded = await certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: USER_PIN });
    const revokedSerial = downloaded.entry.certificate!.serialNumber;
    await flow.mock.core.revoke(revokedSerial, 'keyCompromise', MAMAN);
    // The ledger learns it from AMS; the token's label comes from the ledger.
    await certificates.refresh();
    expect((await flow.ledger.get(entry.id))!.amsStatus).toBe('revoked');

    const next = await request((step) => submitSteps.push(step));
    expect(submitSteps).toEqual(['lookup', 'keygen', 'csr', 'upload', 'done']);
    const steps: string[] = [];
    const { files } = await certificates.download({ entryId: next.entry.id, keyStore: 'pkcs11', pin: USER_PIN }, (p) => steps.push(p.step));
    // The certificate goes to the token; beside it only a .pem, no .p12 (the key cannot leave the token).
    expect(steps).toEqual(['fetch', 'verify', 'write', 'done']);
    expect(Object.keys(files)).toEqual(['pem']);
    expect(path.extname(files.pem)).toBe('.pem');
    expect(existsSync(files.pem)).toBe(true);
    const added = (await certificateLabels(hsm.library, hsm.conf)).filter((label) => !before.includes(label));
    expect(added.filter((label) => label.startsWith('MAMAN ')).sort()).toEqual([expect.stringMatching(/^MAMAN \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d revoked$/)]);
    await tokens.close();
  });
});
