import { constants, generateKeyPairSync, privateEncrypt, sign, type KeyObject } from 'node:crypto';
import { CKA, CKF, CKM, CKO, CKR } from '../../src-main/services/pkcs11/constants';
import type { Attribute, Handle, Pkcs11Module } from '../../src-main/services/pkcs11/pkcs11-module';

/**
 * A stand-in for pkcs11js at the driver's boundary, for the token states
 * SoftHSM2 never reaches: PIN flags, refused templates, a token pulled out, a
 * full token, missing mechanisms. Keys are real RSA keys so signatures verify.
 */
export class Pkcs11Error extends Error {
  constructor(readonly code: number) {
    super(`CKR 0x${code.toString(16)}`);
  }
}

export interface FakeToken {
  serial: string;
  label: string;
  flags: number;
  pin: string;
  present: boolean;
  mechanisms: number[];
  maxKeySize: number;
  /** Fail the next call of a method with a CKR value. */
  failNext: Partial<Record<keyof Pkcs11Module, number>>;
  /** Flags the token takes after a wrong PIN. */
  flagsAfterWrongPin?: number;
  refuseFullTemplate?: boolean;
  refuseSetId?: boolean;
  /** A broken token: its signatures do not verify with its key (the last byte is changed). */
  badSignatures?: boolean;
}

interface StoredObject {
  token: string;
  attrs: Map<number, Attribute['value']>;
  key?: KeyObject;
}

export function fakeToken(overrides: Partial<FakeToken> = {}): FakeToken {
  return {
    serial: 'FAKE0001',
    label: 'ST3',
    flags: CKF.LOGIN_REQUIRED | CKF.TOKEN_INITIALIZED,
    pin: '1234',
    present: true,
    mechanisms: [CKM.RSA_PKCS_KEY_PAIR_GEN, CKM.RSA_PKCS, CKM.SHA256_RSA_PKCS],
    maxKeySize: 4096,
    failNext: {},
    ...overrides,
  };
}

export class FakePkcs11 implements Pkcs11Module {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly objects = new Map<number, StoredObject>();
  initializeError: number | undefined;
  loadError: Error | undefined;
  private sessions = new Map<number, string>();
  private nextHandle = 1;
  private findQueue: number[] = [];
  private signing: { key: number; mechanism: number } | undefined;

  constructor(readonly tokens: FakeToken[]) {}

  /** Sessions opened and not closed yet. */
  get openSessions(): number {
    return this.sessions.size;
  }

  private record(method: keyof Pkcs11Module, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private tokenOfSlot(slot: Handle): FakeToken {
    const token = this.tokens[slot.readUInt32LE(0)];
    if (!token?.present) throw new Pkcs11Error(CKR.TOKEN_NOT_PRESENT);
    return token;
  }

  private tokenOfSession(session: Handle): FakeToken {
    const serial = this.sessions.get(session.readUInt32LE(0));
    const token = this.tokens.find((t) => t.serial === serial);
    if (!token) throw new Pkcs11Error(CKR.SESSION_HANDLE_INVALID);
    if (!token.present) throw new Pkcs11Error(CKR.DEVICE_REMOVED);
    return token;
  }

  private failIfArmed(token: FakeToken, method: keyof Pkcs11Module): void {
    const code = token.failNext[method];
    if (code !== undefined) {
      delete token.failNext[method];
      throw new Pkcs11Error(code);
    }
  }

  private handle(n: number): Handle {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(n, 0);
    return b;
  }

  load(path: string): void {
    this.record('load', [path]);
    if (this.loadError) throw this.loadError;
  }
  C_Initialize(): void {
    this.record('C_Initialize', []);
    if (this.initializeError !== undefined) throw new Pkcs11Error(this.initializeError);
  }
  C_Finalize(): void {
    this.record('C_Finalize', []);
  }
  C_GetSlotList(): Handle[] {
    return this.tokens.flatMap((t, i) => (t.present ? [this.handle(i)] : []));
  }
  C_GetSlotInfo(slot: Handle) {
    return { slotDescription: `Fake reader ${slot.readUInt32LE(0)}`, flags: CKF.TOKEN_PRESENT };
  }
  C_GetTokenInfo(slot: Handle) {
    const t = this.tokenOfSlot(slot);
    return { label: t.label.padEnd(32), manufacturerID: 'Fake Maker'.padEnd(32), model: 'Fake ST3'.padEnd(16), serialNumber: t.serial.padEnd(16), flags: t.flags };
  }
  C_GetMechanismList(slot: Handle): number[] {
    return this.tokenOfSlot(slot).mechanisms;
  }
  C_GetMechanismInfo(slot: Handle) {
    return { minKeySize: 1024, maxKeySize: this.tokenOfSlot(slot).maxKeySize, flags: CKF.GENERATE_KEY_PAIR };
  }
  C_OpenSession(slot: Handle): Handle {
    const token = this.tokenOfSlot(slot);
    const n = this.nextHandle++;
    this.sessions.set(n, token.serial);
    return this.handle(n);
  }
  C_CloseSession(session: Handle): void {
    this.sessions.delete(session.readUInt32LE(0));
  }
  C_Login(session: Handle, userType: number, pin?: string): void {
    this.record('C_Login', [userType, pin]);
    const token = this.tokenOfSession(session);
    this.failIfArmed(token, 'C_Login');
    if (token.flags & CKF.USER_PIN_LOCKED) throw new Pkcs11Error(CKR.PIN_LOCKED);
    if (!(token.flags & CKF.PROTECTED_AUTHENTICATION_PATH) && pin !== token.pin) {
      if (token.flagsAfterWrongPin !== undefined) token.flags = token.flagsAfterWrongPin;
      throw new Pkcs11Error(CKR.PIN_INCORRECT);
    }
  }
  C_Logout(): void {}
  C_SetPIN(session: Handle, oldPin: string, newPin: string): void {
    this.record('C_SetPIN', [oldPin, newPin]);
    const token = this.tokenOfSession(session);
    token.pin = newPin;
    token.flags &= ~CKF.USER_PIN_TO_BE_CHANGED;
  }
  C_GenerateKeyPair(session: Handle, mechanism: { mechanism: number }, pub: Attribute[], priv: Attribute[]) {
    this.record('C_GenerateKeyPair', [mechanism, pub, priv]);
    const token = this.tokenOfSession(session);
    this.failIfArmed(token, 'C_GenerateKeyPair');
    if (token.refuseFullTemplate && priv.some((a) => a.type === CKA.EXTRACTABLE)) throw new Pkcs11Error(CKR.TEMPLATE_INCONSISTENT);
    const bits = pub.find((a) => a.type === CKA.MODULUS_BITS)!.value as number;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const jwk = publicKey.export({ format: 'jwk' });
    const store = (attrs: Attribute[], cls: number, key?: KeyObject) => {
      const n = this.nextHandle++;
      const map = new Map(attrs.map((a) => [a.type, a.value] as const));
      map.set(CKA.CLASS, cls);
      map.set(CKA.MODULUS, Buffer.from(jwk.n!, 'base64url'));
      map.set(CKA.PUBLIC_EXPONENT, Buffer.from(jwk.e!, 'base64url'));
      this.objects.set(n, { token: token.serial, attrs: map, ...(key ? { key } : {}) });
      return this.handle(n);
    };
    return { publicKey: store(pub, CKO.PUBLIC_KEY), privateKey: store(priv, CKO.PRIVATE_KEY, privateKey) };
  }
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[] {
    const token = this.tokenOfSession(session);
    this.failIfArmed(token, 'C_GetAttributeValue');
    const stored = this.objects.get(object.readUInt32LE(0))!;
    return template.map((a) => ({ type: a.type, value: stored.attrs.get(a.type) }));
  }
  C_SetAttributeValue(session: Handle, object: Handle, template: Attribute[]): void {
    const token = this.tokenOfSession(session);
    if (token.refuseSetId) throw new Pkcs11Error(CKR.ATTRIBUTE_READ_ONLY);
    const stored = this.objects.get(object.readUInt32LE(0))!;
    for (const a of template) stored.attrs.set(a.type, a.value);
  }
  C_FindObjectsInit(session: Handle, template: Attribute[]): void {
    const token = this.tokenOfSession(session);
    const matches = (value: unknown, wanted: unknown) => (Buffer.isBuffer(wanted) ? Buffer.isBuffer(value) && value.equals(wanted) : value === wanted);
    this.findQueue = [...this.objects.entries()]
      .filter(([, o]) => o.token === token.serial && template.every((a) => matches(o.attrs.get(a.type), a.value)))
      .map(([n]) => n);
  }
  C_FindObjects(_session: Handle, max: number): Handle[] {
    return this.findQueue.splice(0, max).map((n) => this.handle(n));
  }
  C_FindObjectsFinal(): void {
    this.findQueue = [];
  }
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void {
    this.record('C_SignInit', [mechanism]);
    this.tokenOfSession(session);
    this.signing = { key: key.readUInt32LE(0), mechanism: mechanism.mechanism };
  }
  C_Sign(session: Handle, data: Buffer): Buffer {
    const token = this.tokenOfSession(session);
    this.failIfArmed(token, 'C_Sign');
    const key = this.objects.get(this.signing!.key)!.key!;
    const signature = this.signing!.mechanism === CKM.SHA256_RSA_PKCS ? sign('sha256', data, key) : privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data);
    if (token.badSignatures) signature[signature.length - 1]! ^= 0xff;
    return signature;
  }
  C_CreateObject(session: Handle, template: Attribute[]): Handle {
    const token = this.tokenOfSession(session);
    this.failIfArmed(token, 'C_CreateObject');
    const n = this.nextHandle++;
    this.objects.set(n, { token: token.serial, attrs: new Map(template.map((a) => [a.type, a.value] as const)) });
    return this.handle(n);
  }
  C_DestroyObject(session: Handle, object: Handle): void {
    this.record('C_DestroyObject', [object.readUInt32LE(0)]);
    this.tokenOfSession(session);
    this.objects.delete(object.readUInt32LE(0));
  }
}
