import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CKA, CKF, CKM, CKR } from '../../src-main/services/pkcs11/constants';
import { TokenDriver } from '../../src-main/services/pkcs11/token-driver';
import { fakeToken, FakePkcs11, type FakeToken } from '../support/fake-pkcs11';

const LIB = '/fake/libtoken.so';
const BASE = CKF.LOGIN_REQUIRED | CKF.TOKEN_INITIALIZED;

function driverWith(...tokens: Partial<FakeToken>[]) {
  const fake = new FakePkcs11(tokens.length ? tokens.map((t, i) => fakeToken({ serial: `FAKE000${i + 1}`, ...t })) : [fakeToken()]);
  return { fake, driver: new TokenDriver(fake, LIB) };
}

const logins = (fake: FakePkcs11) => fake.calls.filter((c) => c.method === 'C_Login');

describe('TokenDriver PIN handling (stand-in at the pkcs11js boundary)', () => {
  it.each([
    ['locked', BASE | CKF.USER_PIN_LOCKED, {}, 'PKCS11_PIN_LOCKED'],
    ['last try, not confirmed', BASE | CKF.USER_PIN_FINAL_TRY, {}, 'PKCS11_PIN_FINAL_TRY'],
    ['must change, no new PIN', BASE | CKF.USER_PIN_TO_BE_CHANGED, {}, 'PKCS11_PIN_MUST_CHANGE'],
  ])('%s: refused before any login attempt', (_name, flags, extra, code) => {
    const { fake, driver } = driverWith({ flags });
    expect(() => driver.login({ serial: 'FAKE0001', pin: '1234', ...extra })).toThrow(expect.objectContaining({ code }));
    expect(logins(fake)).toEqual([]);
  });

  it('last try, confirmed: logs in', () => {
    const { fake, driver } = driverWith({ flags: BASE | CKF.USER_PIN_FINAL_TRY });
    driver.login({ serial: 'FAKE0001', pin: '1234', confirmFinalTry: true });
    expect(logins(fake)).toHaveLength(1);
  });

  it('must change: logs in with the old PIN, then sets the new one', () => {
    const { fake, driver } = driverWith({ flags: BASE | CKF.USER_PIN_TO_BE_CHANGED });
    driver.login({ serial: 'FAKE0001', pin: '1234', newPin: '987654' });
    expect(fake.calls.find((c) => c.method === 'C_SetPIN')?.args).toEqual(['1234', '987654']);
    expect(fake.tokens[0]!.pin).toBe('987654');
  });

  it.each([
    ['plain wrong PIN', BASE | CKF.USER_PIN_COUNT_LOW, 'PKCS11_PIN_INCORRECT'],
    ['wrong PIN, one attempt left now', BASE | CKF.USER_PIN_COUNT_LOW | CKF.USER_PIN_FINAL_TRY, 'PKCS11_PIN_NEARLY_LOCKED'],
    ['wrong PIN, locked now', BASE | CKF.USER_PIN_LOCKED, 'PKCS11_PIN_LOCKED'],
  ])('%s → %s', (_name, flagsAfterWrongPin, code) => {
    const { driver } = driverWith({ flagsAfterWrongPin });
    expect(() => driver.login({ serial: 'FAKE0001', pin: '0000' })).toThrow(expect.objectContaining({ code }));
  });

  it('a PIN-pad token logs in without a PIN from the app', () => {
    const { fake, driver } = driverWith({ flags: BASE | CKF.PROTECTED_AUTHENTICATION_PATH });
    driver.login({ serial: 'FAKE0001' });
    expect(logins(fake)[0]!.args).toEqual([1, undefined]);
  });

  it('reports the flags the PIN dialog needs', () => {
    const { driver } = driverWith({ flags: BASE | CKF.USER_PIN_COUNT_LOW | CKF.PROTECTED_AUTHENTICATION_PATH, maxKeySize: 3072 });
    expect(driver.listTokens()[0]).toMatchObject({ pinCountLow: true, protectedAuthPath: true, pinFinalTry: false, rsaKeySizes: [2048, 3072] });
  });
});

describe('TokenDriver keys and faults', () => {
  it('makes the private key non-extractable and sensitive, with CKA_ID = SHA-1(modulus) on both halves', () => {
    const { fake, driver } = driverWith({});
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'LOCK test' });
    expect(key.template).toBe('full');
    expect(key.id).toBe(createHash('sha1').update(key.modulus).digest('hex'));
    const [, pub, priv] = fake.calls.find((c) => c.method === 'C_GenerateKeyPair')!.args as [unknown, { type: number; value: unknown }[], { type: number; value: unknown }[]];
    const attr = (t: { type: number; value: unknown }[], type: number) => t.find((a) => a.type === type)?.value;
    expect(attr(priv, CKA.TOKEN)).toBe(true);
    expect(attr(priv, CKA.PRIVATE)).toBe(true);
    expect(attr(priv, CKA.SENSITIVE)).toBe(true);
    expect(attr(priv, CKA.EXTRACTABLE)).toBe(false);
    expect(attr(priv, CKA.SIGN)).toBe(true);
    expect(attr(priv, CKA.DECRYPT)).toBe(true);
    expect(attr(pub, CKA.TOKEN)).toBe(true);
    for (const object of fake.objects.values()) expect((object.attrs.get(CKA.ID) as Buffer).toString('hex')).toBe(key.id);
  });

  it('retries with a minimal sign-only template when the token refuses the full one', () => {
    const { fake, driver } = driverWith({ refuseFullTemplate: true });
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    expect(driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' }).template).toBe('minimal');
    const attempts = fake.calls.filter((c) => c.method === 'C_GenerateKeyPair');
    expect(attempts).toHaveLength(2);
    const minimalPrivate = attempts[1]!.args[2] as { type: number }[];
    expect(minimalPrivate.map((a) => a.type)).not.toContain(CKA.EXTRACTABLE);
    expect(minimalPrivate.map((a) => a.type)).toContain(CKA.SENSITIVE);
  });

  it('keeps the random CKA_ID when the token will not change it', () => {
    const { driver } = driverWith({ refuseSetId: true });
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' });
    expect(key.id).toMatch(/^[0-9a-f]{40}$/);
    expect(key.id).not.toBe(createHash('sha1').update(key.modulus).digest('hex'));
  });

  it.each([
    ['token pulled out', { failNext: { C_GenerateKeyPair: CKR.DEVICE_REMOVED } }, 'PKCS11_TOKEN_REMOVED'],
    ['token full', { failNext: { C_GenerateKeyPair: CKR.DEVICE_MEMORY } }, 'PKCS11_TOKEN_FULL'],
    ['no RSA key generation', { mechanisms: [CKM.RSA_PKCS] }, 'PKCS11_MECHANISM_UNSUPPORTED'],
    ['size beyond the token', { maxKeySize: 2048 }, 'PKCS11_MECHANISM_UNSUPPORTED'],
  ])('%s → %s', (_name, token, code) => {
    const { driver } = driverWith(token);
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    const bits = _name === 'size beyond the token' ? 4096 : 2048;
    expect(() => driver.generateRsaKeyPair(ref, { bits, label: 'x' })).toThrow(expect.objectContaining({ code }));
  });

  it('destroys a half-made key pair when reading it back fails', () => {
    const { fake, driver } = driverWith({ failNext: { C_GetAttributeValue: CKR.DEVICE_ERROR } });
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    expect(() => driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' })).toThrow(expect.objectContaining({ code: 'PKCS11_ERROR' }));
    expect(fake.calls.filter((c) => c.method === 'C_DestroyObject')).toHaveLength(2);
    expect(fake.objects.size).toBe(0);
  });

  it('signs with CKM_RSA_PKCS + DigestInfo where CKM_SHA256_RSA_PKCS is missing, and the signature verifies', () => {
    const { fake, driver } = driverWith({ mechanisms: [CKM.RSA_PKCS_KEY_PAIR_GEN, CKM.RSA_PKCS] });
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' });
    const data = Buffer.from('CertificationRequestInfo bytes');
    const signature = driver.signSha256(ref, { id: key.id, data });
    expect(fake.calls.find((c) => c.method === 'C_SignInit')!.args[0]).toEqual({ mechanism: CKM.RSA_PKCS });
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: key.modulus.toString('base64url'), e: key.exponent.toString('base64url') }, format: 'jwk' });
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
  });

  it('a token pulled out while signing is PKCS11_TOKEN_REMOVED', () => {
    const { fake, driver } = driverWith({});
    const ref = driver.login({ serial: 'FAKE0001', pin: '1234' });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' });
    fake.tokens[0]!.present = false;
    expect(() => driver.signSha256(ref, { id: key.id, data: Buffer.from('x') })).toThrow(expect.objectContaining({ code: 'PKCS11_TOKEN_REMOVED' }));
  });

  it('follows insertion and removal, and finds a key on whichever slot its token now sits in', () => {
    const { fake, driver } = driverWith({ serial: 'A1', label: 'first' }, { serial: 'B2', label: 'second', present: false });
    expect(driver.listTokens().map((t) => t.serial)).toEqual(['A1']);
    fake.tokens[1]!.present = true;
    expect(driver.listTokens().map((t) => t.serial)).toEqual(['A1', 'B2']);
    const ref = driver.login({ serial: 'B2', pin: '1234' });
    const key = driver.generateRsaKeyPair(ref, { bits: 2048, label: 'x' });
    driver.logout(ref);
    // Re-plugged: the first token is gone, so B2 sits in another position.
    fake.tokens[0]!.present = false;
    expect(driver.listTokens().map((t) => t.serial)).toEqual(['B2']);
    expect(driver.findKeyToken({ id: key.id, modulus: key.modulus })?.serial).toBe('B2');
    expect(() => driver.login({ serial: 'A1', pin: '1234' })).toThrow(expect.objectContaining({ code: 'PKCS11_TOKEN_NOT_FOUND' }));
  });

  it('survives CKR_CRYPTOKI_ALREADY_INITIALIZED and reports a library that does not load', () => {
    const shared = driverWith({});
    shared.fake.initializeError = CKR.CRYPTOKI_ALREADY_INITIALIZED;
    expect(shared.driver.listTokens()).toHaveLength(1);

    const broken = driverWith({});
    broken.fake.loadError = new Error('libtoken.so: wrong ELF class: ELFCLASS32');
    expect(() => broken.driver.listTokens()).toThrow(expect.objectContaining({ code: 'PKCS11_LIBRARY_LOAD_FAILED', detail: expect.stringContaining('ELFCLASS32') }));
  });
});
