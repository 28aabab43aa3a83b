import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CKR } from '../../src-main/services/pkcs11/constants';
import { realPkcs11Module, type Attribute, type Pkcs11Module } from '../../src-main/services/pkcs11/pkcs11-module';
import { TokenDriver } from '../../src-main/services/pkcs11/token-driver';
import { createSoftHsm, USER_PIN, type SoftHsm } from '../support/softhsm';

/**
 * Every key template LOCK Desktop asks a token for, read back attribute by
 * attribute from a real SoftHSM2 token with plain pkcs11js (not the driver's
 * own code or constants). The fallbacks — the minimal template after a token
 * refuses the full one, and the temporary CKA_ID a token keeps when it will not
 * let us set SHA-1(modulus) — are driven deterministically by a module that
 * passes every call to SoftHSM2 except the one refusal under test.
 */
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;

let hsm: SoftHsm;
let serial: string;
const drivers: TokenDriver[] = [];

beforeAll(async () => {
  hsm = await createSoftHsm();
  const driver = new TokenDriver(realPkcs11Module(), hsm.library);
  serial = driver.listTokens()[0]!.serial;
  driver.close();
});
afterEach(() => {
  while (drivers.length) drivers.pop()!.close();
});
afterAll(async () => hsm.cleanup());

/** A refusal the way pkcs11js reports one: an Error with the CKR in `code`. */
const ckrError = (ckr: number) => Object.assign(new Error(`CKR 0x${ckr.toString(16)}`), { code: ckr });

/** SoftHSM2, with some calls answered by `override` first (return undefined to pass the call through). */
function tokenWith(override: Partial<Record<keyof Pkcs11Module, (...args: never[]) => unknown>> = {}) {
  const real = realPkcs11Module();
  const calls: { method: string; args: unknown[] }[] = [];
  const module = new Proxy(real, {
    get(target, name: keyof Pkcs11Module) {
      const original = (target[name] as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        calls.push({ method: name, args });
        const hook = override[name] as ((...a: unknown[]) => unknown) | undefined;
        return hook ? hook(...args, original) : original(...args);
      };
    },
  });
  const driver = new TokenDriver(module, hsm.library);
  drivers.push(driver);
  const ref = driver.login({ serial, pin: USER_PIN });
  return { driver, ref, calls };
}

const A = pkcs11js;
const BOOLEANS = { CKA_TOKEN: A.CKA_TOKEN, CKA_PRIVATE: A.CKA_PRIVATE, CKA_SENSITIVE: A.CKA_SENSITIVE, CKA_EXTRACTABLE: A.CKA_EXTRACTABLE, CKA_SIGN: A.CKA_SIGN, CKA_DECRYPT: A.CKA_DECRYPT, CKA_VERIFY: A.CKA_VERIFY, CKA_ENCRYPT: A.CKA_ENCRYPT, CKA_ALWAYS_SENSITIVE: A.CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE: A.CKA_NEVER_EXTRACTABLE, CKA_LOCAL: A.CKA_LOCAL };
const NUMBERS = { CKA_CLASS: A.CKA_CLASS, CKA_KEY_TYPE: A.CKA_KEY_TYPE, CKA_MODULUS_BITS: A.CKA_MODULUS_BITS };
const BYTES = { CKA_ID: A.CKA_ID, CKA_PUBLIC_EXPONENT: A.CKA_PUBLIC_EXPONENT, CKA_MODULUS: A.CKA_MODULUS, CKA_SUBJECT: A.CKA_SUBJECT };
/** DER Name "CN=MAMAN", the CSR's subject a key is made for. */
const SUBJECT = '3011310f300d06035504030c064d414d414e';

type ReadBack = Record<string, boolean | number | string | undefined>;

/** Every attribute of each key object with this CKA_ID, read in a fresh logged-in session. */
function readKeys(id: string): { public: ReadBack[]; private: ReadBack[] } {
  const p11 = new pkcs11js.PKCS11();
  p11.load(hsm.library);
  try {
    p11.C_Initialize();
  } catch {
    // Already initialised in this process by the driver.
  }
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).serialNumber.trim() === serial)!;
  const session = p11.C_OpenSession(slot, A.CKF_SERIAL_SESSION);
  try {
    try {
      p11.C_Login(session, A.CKU_USER, USER_PIN);
    } catch (error) {
      // Login is per process: the driver may still hold it.
      if (!(error as Error).message.includes('CKR_USER_ALREADY_LOGGED_IN')) throw error;
    }
    const read = (klass: number): ReadBack[] => {
      p11.C_FindObjectsInit(session, [
        { type: A.CKA_CLASS, value: klass },
        { type: A.CKA_ID, value: Buffer.from(id, 'hex') },
      ]);
      const handles = p11.C_FindObjects(session, 10);
      p11.C_FindObjectsFinal(session);
      return handles.map((handle) => {
        const out: ReadBack = {};
        const one = (type: number) => {
          try {
            return p11.C_GetAttributeValue(session, handle, [{ type }])[0]!.value as Buffer;
          } catch {
            return undefined; // not an attribute of this object class
          }
        };
        for (const [name, type] of Object.entries(BOOLEANS)) out[name] = one(type)?.[0] === undefined ? undefined : one(type)![0] === 1;
        for (const [name, type] of Object.entries(NUMBERS)) {
          const value = one(type);
          out[name] = value === undefined ? undefined : Number(value.length === 8 ? value.readBigUInt64LE() : value.readUInt32LE());
        }
        for (const [name, type] of Object.entries(BYTES)) out[name] = one(type)?.toString('hex');
        out['CKA_LABEL'] = one(A.CKA_LABEL)?.toString('utf8');
        return out;
      });
    };
    return { public: read(A.CKO_PUBLIC_KEY), private: read(A.CKO_PRIVATE_KEY) };
  } finally {
    p11.C_CloseSession(session);
  }
}

const sha1 = (modulus: Buffer) => createHash('sha1').update(modulus).digest('hex');
const generated = (calls: { method: string; args: unknown[] }[]) =>
  calls.filter((c) => c.method === 'C_GenerateKeyPair').map((c) => ({ public: c.args[2] as Attribute[], private: c.args[3] as Attribute[] }));
const types = (template: Attribute[]) => template.map((a) => a.type).sort((x, y) => x - y);

describe('PKCS#11 key templates, read back from a real SoftHSM2 token', () => {
  it('full template: private key token-resident, private, sensitive, never extractable, sign + decrypt; public key verify + encrypt', () => {
    const { driver, ref } = tokenWith();
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK full', subject: Buffer.from(SUBJECT, 'hex') });
    driver.logout(ref);
    expect(key.template).toBe('full');
    const { public: pubs, private: privs } = readKeys(key.id);
    expect(privs).toHaveLength(1);
    expect(pubs).toHaveLength(1);
    expect(privs[0]).toEqual({
      CKA_CLASS: A.CKO_PRIVATE_KEY,
      CKA_KEY_TYPE: A.CKK_RSA,
      CKA_TOKEN: true,
      CKA_PRIVATE: true,
      CKA_SENSITIVE: true,
      CKA_ALWAYS_SENSITIVE: true,
      CKA_EXTRACTABLE: false,
      CKA_NEVER_EXTRACTABLE: true,
      CKA_LOCAL: true,
      CKA_SIGN: true,
      CKA_DECRYPT: true,
      CKA_VERIFY: undefined,
      CKA_ENCRYPT: undefined,
      CKA_MODULUS_BITS: undefined,
      CKA_ID: sha1(key.modulus),
      CKA_LABEL: 'LOCK full',
      CKA_MODULUS: key.modulus.toString('hex'),
      CKA_PUBLIC_EXPONENT: '010001',
      CKA_SUBJECT: SUBJECT,
    });
    expect(pubs[0]).toMatchObject({
      CKA_CLASS: A.CKO_PUBLIC_KEY,
      CKA_KEY_TYPE: A.CKK_RSA,
      CKA_TOKEN: true,
      CKA_PRIVATE: false,
      CKA_VERIFY: true,
      CKA_ENCRYPT: true,
      CKA_MODULUS_BITS: 2048,
      CKA_PUBLIC_EXPONENT: '010001',
      CKA_ID: sha1(key.modulus),
      CKA_LABEL: 'LOCK full',
      CKA_MODULUS: key.modulus.toString('hex'),
      CKA_SUBJECT: SUBJECT,
    });
  });

  it.each([3072, 4096])('full template at %i bits: CKA_MODULUS_BITS read back', (bits) => {
    const { driver, ref } = tokenWith();
    const key = driver.generateRsaKeyPair(ref, { bits, label: `LOCK ${bits}` });
    expect(key.modulus.length * 8).toBe(bits);
    expect(readKeys(key.id).public[0]).toMatchObject({ CKA_MODULUS_BITS: bits, CKA_LABEL: `LOCK ${bits}` });
  });

  it.each([1024, 2047, 2049, 4097, 8192])('RSA %i bits is refused before the token is asked', (bits) => {
    const { driver, ref, calls } = tokenWith();
    expect(() => driver.generateRsaKeyPair(ref, { bits, label: 'LOCK odd size' })).toThrow(
      expect.objectContaining({ code: 'PKCS11_MECHANISM_UNSUPPORTED', detail: `RSA ${bits}` }),
    );
    expect(generated(calls)).toEqual([]);
  });

  it('minimal template after a refusal: sensitive private sign-only key, asked for exactly these attributes', () => {
    // A token that refuses decryption on a signing key.
    const { driver, ref, calls } = tokenWith({
      C_GenerateKeyPair: ((_s: unknown, _m: unknown, _pub: Attribute[], priv: Attribute[], original: (...a: unknown[]) => unknown) => {
        if (priv.some((a) => a.type === A.CKA_DECRYPT)) throw ckrError(CKR.TEMPLATE_INCONSISTENT);
        return original(_s, _m, _pub, priv);
      }) as never,
    });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK minimal', subject: Buffer.from(SUBJECT, 'hex') });
    driver.logout(ref);
    expect(key.template).toBe('minimal');
    const [full, minimal, ...more] = generated(calls);
    expect(more).toEqual([]);
    expect(types(full!.private)).toEqual(
      [A.CKA_CLASS, A.CKA_TOKEN, A.CKA_PRIVATE, A.CKA_LABEL, A.CKA_KEY_TYPE, A.CKA_SUBJECT, A.CKA_ID, A.CKA_SENSITIVE, A.CKA_DECRYPT, A.CKA_SIGN, A.CKA_EXTRACTABLE].sort((x, y) => x - y),
    );
    expect(types(minimal!.private)).toEqual([A.CKA_TOKEN, A.CKA_PRIVATE, A.CKA_LABEL, A.CKA_ID, A.CKA_SENSITIVE, A.CKA_SIGN].sort((x, y) => x - y));
    expect(types(minimal!.public)).toEqual([A.CKA_TOKEN, A.CKA_LABEL, A.CKA_ID, A.CKA_VERIFY, A.CKA_MODULUS_BITS, A.CKA_PUBLIC_EXPONENT].sort((x, y) => x - y));
    // Both attempts use the same temporary CKA_ID.
    const idOf = (t: Attribute[]) => (t.find((a) => a.type === A.CKA_ID)!.value as Buffer).toString('hex');
    expect(idOf(minimal!.private)).toBe(idOf(full!.private));

    const { public: pubs, private: privs } = readKeys(key.id);
    expect(privs).toHaveLength(1);
    expect(privs[0]).toMatchObject({
      CKA_CLASS: A.CKO_PRIVATE_KEY,
      CKA_KEY_TYPE: A.CKK_RSA,
      CKA_TOKEN: true,
      CKA_PRIVATE: true,
      CKA_SENSITIVE: true,
      CKA_ALWAYS_SENSITIVE: true,
      CKA_SIGN: true,
      CKA_ID: sha1(key.modulus),
      CKA_LABEL: 'LOCK minimal',
    });
    expect(pubs[0]).toMatchObject({ CKA_TOKEN: true, CKA_VERIFY: true, CKA_MODULUS_BITS: 2048, CKA_PUBLIC_EXPONENT: '010001', CKA_ID: sha1(key.modulus), CKA_LABEL: 'LOCK minimal' });
  });

  it.each([
    ['CKR_TEMPLATE_INCONSISTENT', CKR.TEMPLATE_INCONSISTENT],
    ['CKR_TEMPLATE_INCOMPLETE', CKR.TEMPLATE_INCOMPLETE],
    ['CKR_ATTRIBUTE_VALUE_INVALID', CKR.ATTRIBUTE_VALUE_INVALID],
    ['CKR_ATTRIBUTE_TYPE_INVALID', CKR.ATTRIBUTE_TYPE_INVALID],
    ['CKR_ATTRIBUTE_READ_ONLY', CKR.ATTRIBUTE_READ_ONLY],
  ])('%s on the full template → the minimal template is tried', (_name, ckr) => {
    let refused = 0;
    const { driver, ref } = tokenWith({
      C_GenerateKeyPair: ((...args: unknown[]) => {
        if (refused++ === 0) throw ckrError(ckr);
        return (args.at(-1) as (...a: unknown[]) => unknown)(...args.slice(0, -1));
      }) as never,
    });
    expect(driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK retry' }).template).toBe('minimal');
  });

  it.each([
    ['CKR_DEVICE_MEMORY', 'PKCS11_TOKEN_FULL', CKR.DEVICE_MEMORY],
    ['CKR_GENERAL_ERROR', 'PKCS11_ERROR', CKR.GENERAL_ERROR],
  ])('%s on the full template is not a template problem: no second try, %s', (_name, code, ckr) => {
    const { driver, ref, calls } = tokenWith({
      C_GenerateKeyPair: (() => {
        throw ckrError(ckr);
      }) as never,
    });
    expect(() => driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK full token' })).toThrow(expect.objectContaining({ code }));
    expect(generated(calls)).toHaveLength(1);
  });

  it('a token that will not let CKA_ID change keeps the temporary ID on both halves', () => {
    const { driver, ref, calls } = tokenWith({
      C_SetAttributeValue: (() => {
        throw ckrError(CKR.ATTRIBUTE_READ_ONLY);
      }) as never,
    });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK fixed id' });
    const tempId = ((generated(calls)[0]!.private.find((a) => a.type === A.CKA_ID)!.value as Buffer) ?? Buffer.alloc(0)).toString('hex');
    expect(key.id).toBe(tempId);
    expect(key.id).not.toBe(sha1(key.modulus));
    const { public: pubs, private: privs } = readKeys(key.id);
    expect([pubs.length, privs.length]).toEqual([1, 1]);
    expect(privs[0]!.CKA_MODULUS).toBe(key.modulus.toString('hex'));
  });

  it('a token that takes the public CKA_ID but refuses the private one: the public half is put back in step', () => {
    let sets = 0;
    const { driver, ref, calls } = tokenWith({
      C_SetAttributeValue: ((...args: unknown[]) => {
        if (++sets === 2) throw ckrError(CKR.ATTRIBUTE_READ_ONLY);
        return (args.at(-1) as (...a: unknown[]) => unknown)(...args.slice(0, -1));
      }) as never,
    });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK half id' });
    const tempId = (generated(calls)[0]!.private.find((a) => a.type === A.CKA_ID)!.value as Buffer).toString('hex');
    expect(key.id).toBe(tempId);
    expect(sets).toBe(3);
    const { public: pubs, private: privs } = readKeys(key.id);
    expect([pubs.length, privs.length]).toEqual([1, 1]);
    expect(readKeys(sha1(key.modulus)).public).toEqual([]);
  });

  it('a CKA_ID refusal that is not a template problem fails the generation and leaves no half-made key', () => {
    const { driver, ref, calls } = tokenWith({
      C_SetAttributeValue: (() => {
        throw ckrError(CKR.DEVICE_ERROR);
      }) as never,
    });
    expect(() => driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK broken' })).toThrow(expect.objectContaining({ code: 'PKCS11_ERROR' }));
    const tempId = (generated(calls)[0]!.private.find((a) => a.type === A.CKA_ID)!.value as Buffer).toString('hex');
    expect(readKeys(tempId)).toEqual({ public: [], private: [] });
  });
});
