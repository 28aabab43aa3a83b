import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { CertificateService } from '../../src-main/services/certificate-service';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { CKA, CKF, CKO, CKU_USER } from '../../src-main/services/pkcs11/constants';
import { realPkcs11Module } from '../../src-main/services/pkcs11/pkcs11-module';
import { TokenVault } from '../../src-main/services/token-vault';
import { certificateParts } from '../../src-main/services/x509-parts';
import { memoryKeychain } from '../support/flow';
import { USER_PIN, useSoftHsmFlow } from '../support/softhsm';
import { run, tempDir } from '../support/tools';
import { MAMAN, minimalPdf, rootOnlyNssDb, tool, writeCaFiles } from './interop-support';

const has = { keytool: tool('keytool', 'default-jre-headless'), modutil: tool('modutil', 'libnss3-tools'), cmsutil: tool('cmsutil', 'libnss3-tools'), pdfsig: tool('pdfsig', 'poppler-utils') };

const fixture = useSoftHsmFlow();
let dir: string;
let cleanup: () => Promise<void>;
let ca: { root: string; issuing: string; chain: string };
let pem = '';
let label = '';
let signDb = '';
const hsmEnv = () => ({ ...process.env, SOFTHSM2_CONF: fixture.hsm.conf });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-interop-token-'));
  ca = await writeCaFiles(fixture.flow.mock, dir);
  const tokens = new TokenService(new InProcessTransport());
  const vault = await TokenVault.open(async () => memoryKeychain());
  const certificates = new CertificateService({ ledger: fixture.flow.ledger, vault, tokens, amsFor: (s) => new AmsClient(s), outputDir: async () => path.join(dir, 'out') });
  const [token] = await tokens.listTokens(fixture.hsm.library);
  const { token: amsToken } = await fixture.flow.mock.mintToken(MAMAN);
  const { entry } = await fixture.flow.service.submit({ token: amsToken, keyStore: 'pkcs11', library: fixture.hsm.library, tokenSerial: token!.serial, pin: USER_PIN });
  await vault.set(entry.id, amsToken);
  const result = await certificates.download({ entryId: entry.id, keyStore: 'pkcs11', pin: USER_PIN });
  pem = result.files.pem;
  label = (await fixture.flow.ledger.get(entry.id))!.pkcs11!.label!;
  await tokens.close();

  // An NSS database that knows the SoftHSM2 module, and nothing else: the chain must come from the token.
  const db = path.join(dir, 'nss-token');
  await run('mkdir', ['-p', db]);
  signDb = `sql:${db}`;
  await run('certutil', ['-N', '-d', signDb, '--empty-password']);
  // The signer trusts the root as a user who imported it would; the issuing CA is only on the token.
  await run('certutil', ['-A', '-d', signDb, '-n', 'Mock Root', '-t', 'C,C,C', '-i', ca.root]);
  if (has.modutil) {
    const added = await run('modutil', ['-add', 'SoftHSM2', '-libfile', fixture.hsm.library, '-dbdir', signDb, '-force'], { env: hsmEnv() });
    if (added.code !== 0) throw new Error(`modutil: ${added.stdout}${added.stderr}`);
  }
});
afterAll(async () => cleanup());

describe('the token key in real consumers (SoftHSM2)', () => {
  it('the .pem holds leaf then chain, and verifies to the root', async () => {
    const text = await readFile(pem, 'utf8');
    expect(text.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    const leaf = path.join(dir, 'leaf-only.pem');
    await writeFile(leaf, text.slice(0, text.indexOf('-----END CERTIFICATE-----') + 26));
    expect((await run('openssl', ['x509', '-in', leaf, '-noout', '-subject'])).stdout).toContain('MAMAN');
    const verified = await run('openssl', ['verify', '-CAfile', ca.root, '-untrusted', pem, leaf]);
    expect(verified.stdout).toContain(': OK');
  });

  it('read back over PKCS#11: the key objects carry the certificate subject; the CA certificates are authority objects, not trusted', async () => {
    const listed = await run('pkcs11-tool', ['--module', fixture.hsm.library, '--login', '--pin', USER_PIN, '--list-objects'], { env: hsmEnv() });
    const blocks = listed.stdout.split(/\n(?=\S)/);
    expect(blocks.filter((b) => b.startsWith('Certificate Object'))).toHaveLength(3);
    const p11 = realPkcs11Module();
    p11.load(fixture.hsm.library);
    p11.C_Initialize();
    try {
      const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === 'ST3')!;
      const session = p11.C_OpenSession(slot, CKF.SERIAL_SESSION);
      p11.C_Login(session, CKU_USER, USER_PIN);
      const find = (template: { type: number; value: number }[]) => {
        p11.C_FindObjectsInit(session, template);
        const found = p11.C_FindObjects(session, 16);
        p11.C_FindObjectsFinal(session);
        return found;
      };
      const holder = certificateParts(new X509Certificate(await readFile(pem)).raw).subject;
      for (const keyClass of [CKO.PRIVATE_KEY, CKO.PUBLIC_KEY]) {
        const [key] = find([{ type: CKA.CLASS, value: keyClass }]);
        const [subject] = p11.C_GetAttributeValue(session, key!, [{ type: CKA.SUBJECT }]);
        expect((subject!.value as Buffer).equals(holder), `CKA_SUBJECT of key class ${keyClass}`).toBe(true);
      }
      const categories = find([{ type: CKA.CLASS, value: CKO.CERTIFICATE }]).map((cert) => {
        const [category, trusted] = p11.C_GetAttributeValue(session, cert, [{ type: CKA.CERTIFICATE_CATEGORY }, { type: CKA.TRUSTED }]);
        return `${(category!.value as Buffer)[0]}/${(trusted!.value as Buffer)[0]}`;
      });
      expect(categories.sort()).toEqual(['1/0', '2/0', '2/0']);
      p11.C_CloseSession(session);
    } finally {
      p11.C_Finalize();
    }
  });

  it.skipIf(!has.keytool)('Java SunPKCS11 (keytool): a PrivateKeyEntry with a chain of 3 from the token', async () => {
    const config = path.join(dir, 'sunpkcs11.cfg');
    await writeFile(config, `name = SoftHSM\nlibrary = ${fixture.hsm.library}\nslotListIndex = 0\n`);
    const env = { ...hsmEnv(), TOKEN_PIN: USER_PIN };
    const listed = await run('keytool', ['-list', '-v', '-keystore', 'NONE', '-storetype', 'PKCS11', '-addprovider', 'SunPKCS11', '-providerArg', config, '-storepass:env', 'TOKEN_PIN'], { env });
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`Alias name: ${label}`);
    expect(listed.stdout).toContain('Entry type: PrivateKeyEntry');
    expect(listed.stdout).toContain('Certificate chain length: 3');
  });

  it.skipIf(!has.cmsutil || !has.modutil)('NSS cmsutil signs with the token key; verification trusting only the root succeeds', async () => {
    const message = path.join(dir, 'message.txt');
    await writeFile(message, 'Nota dinas dari token.\n');
    const signed = path.join(dir, 'token-signed.p7m');
    const sign = await run('cmsutil', ['-S', '-d', signDb, '-N', `ST3:${label}`, '-p', USER_PIN, '-i', message, '-o', signed], { env: hsmEnv() });
    expect(sign.code, sign.stdout + sign.stderr).toBe(0);
    const verifyDb = await rootOnlyNssDb(path.join(dir, 'nss-verify-cms'), ca.root);
    const decoded = await run('cmsutil', ['-D', '-d', verifyDb, '-i', signed, '-h', '1'], { env: hsmEnv() });
    expect(decoded.code, decoded.stdout + decoded.stderr).toBe(0);
    expect(decoded.stdout).toMatch(/signer0\.status=GoodSignature/);
  });

  it.skipIf(!has.pdfsig || !has.modutil)('pdfsig signs with the token key; validation trusting only the root: valid and trusted', async () => {
    const pdf = path.join(dir, 'token.pdf');
    await writeFile(pdf, minimalPdf());
    const signedPdf = path.join(dir, 'token-signed.pdf');
    const signed = await run('pdfsig', ['-nssdir', signDb, '-nss-pwd', USER_PIN, '-nick', `ST3:${label}`, '-add-signature', pdf, signedPdf], { env: hsmEnv() });
    // pdfsig signs, then SoftHSM2 crashes in C_CloseAllSessions when NSS shuts down from an atexit handler
    // (libsofthsm2's own destructors have run by then). The signed file is complete; validating it is the test.
    if (signed.code !== 0) console.warn(`pdfsig exited ${signed.code} after signing with SoftHSM2 (known SoftHSM2 crash at NSS shutdown): ${signed.stderr}`);
    expect(signed.stderr).not.toMatch(/error|fail/i);
    const verifyDb = await rootOnlyNssDb(path.join(dir, 'nss-verify-pdf'), ca.root);
    const checked = await run('pdfsig', ['-nssdir', verifyDb, signedPdf]);
    expect(checked.stdout, checked.stderr).toContain('Signature is Valid');
    expect(checked.stdout).toContain('Certificate is Trusted');
  });
});
