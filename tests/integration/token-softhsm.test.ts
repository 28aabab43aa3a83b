import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsr } from '../../src-main/services/csr-builder';
import { InProcessTransport, TokenService, WorkerTransport } from '../../src-main/services/pkcs11/token-service';
import { createSoftHsm, USER_PIN, type SoftHsm } from '../support/softhsm';
import { run } from '../support/tools';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';

const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;

const employee = MAMAN_EMPLOYEE;

let hsm: SoftHsm;
let tokens: TokenService;

beforeAll(async () => {
  hsm = await createSoftHsm();
  tokens = new TokenService(new InProcessTransport());
});
afterAll(async () => {
  await tokens.close();
  await hsm.cleanup();
});

/** Straight pkcs11js, no LOCK Desktop code: try to read the private exponent. */
function readPrivateExponent(library: string, serial: string, id: string): string {
  const p11 = new pkcs11js.PKCS11();
  p11.load(library);
  try {
    p11.C_Initialize();
  } catch {
    // Already initialised by the driver in this process.
  }
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).serialNumber.trim() === serial)!;
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  try {
    p11.C_Login(session, pkcs11js.CKU_USER, USER_PIN);
    p11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
    ]);
    const [handle] = p11.C_FindObjects(session, 1);
    p11.C_FindObjectsFinal(session);
    p11.C_GetAttributeValue(session, handle!, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }]);
    return 'readable';
  } catch (error) {
    return (error as Error).message.includes('CKR_ATTRIBUTE_SENSITIVE') ? 'CKR_ATTRIBUTE_SENSITIVE' : String(error);
  } finally {
    p11.C_CloseSession(session);
  }
}

const pkcs11Tool = (args: string[]) => run('pkcs11-tool', ['--module', hsm.library, ...args], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf } });

describe('PKCS#11 on a real SoftHSM2 token', () => {
  it('lists the token with its label, manufacturer, model, serial and sizes', async () => {
    const [token, ...others] = await tokens.listTokens(hsm.library);
    expect(others).toEqual([]);
    expect(token).toMatchObject({ label: 'ST3', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', loginRequired: true, pinLocked: false });
    expect(token!.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(token!.rsaKeySizes).toEqual([2048, 3072, 4096]);
  });

  it('generates the key on the token, signs a CSR openssl verifies, and the private key stays inside', async () => {
    const [token] = await tokens.listTokens(hsm.library);
    const session = await tokens.login(hsm.library, { serial: token!.serial, pin: USER_PIN });
    const key = await tokens.generateRsaKeyPair(session, { bits: 2048, label: 'LOCK MAMAN test' });
    const csr = await buildCsr(employee, tokens.signer(session, key));
    await tokens.logout(session);

    expect(key.template).toBe('full');
    expect(key.modulus.length).toBe(256);
    const csrFile = path.join(hsm.dir, 'token.csr');
    await writeFile(csrFile, csr);
    const verify = await run('openssl', ['req', '-in', csrFile, '-noout', '-verify']);
    expect(verify.stderr + verify.stdout).toMatch(/verify OK/i);

    // Independent look at the token: pkcs11-tool with the PIN.
    const objects = await pkcs11Tool(['--login', '--pin', USER_PIN, '--list-objects']);
    expect(objects.code, objects.stderr).toBe(0);
    const privateBlock = objects.stdout.split(/\n(?=\S)/).find((b) => b.startsWith('Private Key Object'))!;
    expect(privateBlock).toContain('LOCK MAMAN test');
    expect(privateBlock).toContain(`ID:         ${key.id}`);
    expect(privateBlock).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
    expect(privateBlock).toMatch(/Usage:\s+decrypt, sign/);
    const publicBlock = objects.stdout.split(/\n(?=\S)/).find((b) => b.startsWith('Public Key Object'))!;
    expect(publicBlock).toContain(`ID:         ${key.id}`);

    // CKA_ID is SHA-1 of the modulus, and the token's public key is the CSR's.
    const { createHash } = await import('node:crypto');
    expect(key.id).toBe(createHash('sha1').update(key.modulus).digest('hex'));
    const pubDer = path.join(hsm.dir, 'pub.der');
    const read = await pkcs11Tool(['--read-object', '--type', 'pubkey', '--id', key.id, '--output-file', pubDer]);
    expect(read.code, read.stderr).toBe(0);
    const fromToken = await run('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', pubDer]);
    const fromCsr = await run('openssl', ['req', '-in', csrFile, '-noout', '-pubkey']);
    expect(fromToken.stdout).toBe(fromCsr.stdout);

    // The private key cannot be read off the token: asked directly, the token refuses.
    expect(readPrivateExponent(hsm.library, token!.serial, key.id)).toBe('CKR_ATTRIBUTE_SENSITIVE');

    // Found again by CKA_ID and modulus, whatever slot the token sits in.
    expect(await tokens.findKeyToken(hsm.library, { id: key.id, modulus: key.modulus })).toMatchObject({ serial: token!.serial });
    expect(await tokens.findKeyToken(hsm.library, { id: key.id, modulus: Buffer.alloc(256, 1) })).toBeUndefined();
  });

  it('a wrong PIN is PKCS11_PIN_INCORRECT', async () => {
    const [token] = await tokens.listTokens(hsm.library);
    await expect(tokens.login(hsm.library, { serial: token!.serial, pin: '000000' })).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
  });

  it('a library that does not load says why (the operating system’s reason)', async () => {
    await expect(tokens.listTokens('/nonexistent/libtoken.so')).rejects.toMatchObject({
      code: 'PKCS11_LIBRARY_LOAD_FAILED',
      detail: expect.stringMatching(/No such file|cannot open/i),
    });
    // A real shared library that is not a PKCS#11 module.
    await expect(tokens.listTokens('/lib/x86_64-linux-gnu/libz.so.1')).rejects.toMatchObject({ code: 'PKCS11_LIBRARY_LOAD_FAILED' });
  });

  it('the worker thread does the same work off the main thread', async () => {
    const worker = new TokenService(new WorkerTransport(path.resolve('dist/worker/pkcs11-worker.cjs')));
    try {
      const [token] = await worker.listTokens(hsm.library);
      const session = await worker.login(hsm.library, { serial: token!.serial, pin: USER_PIN });
      const key = await worker.generateRsaKeyPair(session, { bits: 2048, label: 'worker key' });
      const csr = await buildCsr(employee, worker.signer(session, key));
      await worker.logout(session);
      const csrFile = path.join(hsm.dir, 'worker.csr');
      await writeFile(csrFile, csr);
      expect((await run('openssl', ['req', '-in', csrFile, '-noout', '-verify'])).stderr).toMatch(/verify OK/i);
      await expect(worker.login(hsm.library, { serial: token!.serial, pin: 'bad-pin' })).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    } finally {
      await worker.close();
    }
  });
});
