import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../src/contract/errors';
import { checkPin } from '../../../src/domain/secret-text';
import { ckrOf, TEMPLATE_REJECTED, toTokenError } from './ckr-errors';
import { CKA, CKF, CKM, CKO, CKR, CKU_USER } from './constants';
import { rsaKeyPairTemplates } from './key-templates';
import type { Attribute, Handle, Pkcs11Module } from './pkcs11-module';
import { TokenCertificates } from './token-certificates';
import type { CertificateObject, GeneratedKey, LoginOptions, StoredCertificate, TokenDescriptor } from './token-types';

export type { CertificateObject, GeneratedKey, LoginOptions, StoredCertificate, TokenDescriptor } from './token-types';

interface OpenSession {
  slot: Handle;
  session: Handle;
  serial: string;
}

const RSA_SIZES = [2048, 3072, 4096];
const trim = (value: string) => value.replace(/\0/g, '').trim();

/**
 * Everything LOCK Desktop does with one PKCS#11 library, synchronously. It runs
 * inside the token worker (never on the main thread), which also guarantees
 * that calls never overlap. Tokens are found by serial number and keys by
 * CKA_ID plus modulus — never by slot number, which changes on re-plugging.
 */
export class TokenDriver {
  private readonly sessions = new Map<number, OpenSession>();
  private nextRef = 1;
  private initialized = false;

  constructor(
    private readonly p11: Pkcs11Module,
    readonly library: string,
  ) {}

  /** Loads the library and initialises Cryptoki once; another user of the library having done so is fine. */
  open(): void {
    if (this.initialized) return;
    try {
      this.p11.load(this.library);
    } catch (error) {
      // The operating system's own reason (missing file, wrong architecture, missing dependency).
      throw new AppError('PKCS11_LIBRARY_LOAD_FAILED', { detail: (error as Error).message, cause: error });
    }
    try {
      this.p11.C_Initialize();
    } catch (error) {
      if (ckrOf(error) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw toTokenError(error);
    }
    this.initialized = true;
  }

  close(): void {
    if (!this.initialized) return;
    for (const ref of [...this.sessions.keys()]) this.logout(ref);
    try {
      this.p11.C_Finalize();
    } catch {
      // Finalising is best effort: the process is going away.
    }
    this.initialized = false;
  }

  listTokens(): TokenDescriptor[] {
    this.open();
    return this.guard(() => this.presentTokens().map(({ token }) => token));
  }

  /**
   * Logs in to the token with this serial after reading its flags: a locked PIN
   * stops here, a last attempt needs the user's consent, a PIN that must change
   * needs the new one. Returns a reference for the calls that follow.
   */
  login(options: LoginOptions): number {
    this.open();
    return this.guard(() => {
      const { slot, token } = this.slotFor(options.serial);
      if (token.pinLocked) throw new AppError('PKCS11_PIN_LOCKED');
      if (token.pinFinalTry && !options.confirmFinalTry) throw new AppError('PKCS11_PIN_FINAL_TRY');
      if (token.pinToBeChanged && !options.newPin) throw new AppError('PKCS11_PIN_MUST_CHANGE');
      const session = this.p11.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
      try {
        // A PIN pad takes the PIN itself; otherwise no empty or out-of-range PIN reaches the token (and its retry counter).
        const bounds = this.p11.C_GetTokenInfo(slot);
        if (token.loginRequired) this.loginUser(slot, session, token.protectedAuthPath ? undefined : checkPin(options.pin, bounds));
        if (token.pinToBeChanged && options.newPin) this.p11.C_SetPIN(session, options.pin ?? '', checkPin(options.newPin, bounds));
      } catch (error) {
        this.p11.C_CloseSession(session);
        throw error;
      }
      const ref = this.nextRef++;
      this.sessions.set(ref, { slot, session, serial: options.serial });
      return ref;
    });
  }

  logout(ref: number): void {
    const open = this.sessions.get(ref);
    if (!open) return;
    this.sessions.delete(ref);
    try {
      this.p11.C_Logout(open.session);
    } catch {
      // Not logged in, or the token is gone: closing is all that is left.
    }
    try {
      this.p11.C_CloseSession(open.session);
    } catch {
      // The token was removed; the session is gone with it.
    }
  }

  /**
   * An RSA key pair on the token: private key token-resident, private,
   * sensitive, not extractable, for signing and decryption. A token that
   * rejects that template gets a minimal sign-only one. Both halves then get
   * CKA_ID = SHA-1(modulus), the convention NSS and others pair keys and
   * certificates by.
   */
  generateRsaKeyPair(ref: number, options: { bits: number; label: string; subject?: Buffer }): GeneratedKey {
    const open = this.session(ref);
    return this.guard(() => {
      const mechanisms = this.p11.C_GetMechanismList(open.slot);
      if (!mechanisms.includes(CKM.RSA_PKCS_KEY_PAIR_GEN)) throw new AppError('PKCS11_MECHANISM_UNSUPPORTED', { detail: 'CKM_RSA_PKCS_KEY_PAIR_GEN' });
      if (!this.rsaSizes(open.slot).includes(options.bits)) throw new AppError('PKCS11_MECHANISM_UNSUPPORTED', { detail: `RSA ${options.bits}` });

      const tempId = randomBytes(20);
      let pair: { publicKey: Handle; privateKey: Handle };
      let template: GeneratedKey['template'] = 'full';
      try {
        pair = this.generate(open.session, options, tempId, 'full');
      } catch (error) {
        const ckr = ckrOf(error);
        if (ckr === undefined || !TEMPLATE_REJECTED.has(ckr)) throw error;
        pair = this.generate(open.session, options, tempId, 'minimal');
        template = 'minimal';
      }
      try {
        const [modulus, exponent] = this.p11.C_GetAttributeValue(open.session, pair.publicKey, [{ type: CKA.MODULUS }, { type: CKA.PUBLIC_EXPONENT }]).map(
          (a) => a.value as Buffer,
        );
        const id = createHash('sha1').update(modulus!).digest();
        const finalId = this.setPairId(open.session, pair, id, tempId);
        return { id: finalId.toString('hex'), modulus: modulus!, exponent: exponent!, template };
      } catch (error) {
        this.destroyQuietly(open.session, [pair.publicKey, pair.privateKey]);
        throw error;
      }
    });
  }

  /**
   * Gives both halves CKA_ID = `id`. Some tokens fix CKA_ID at creation: then
   * the pair keeps `fallback`, which still pairs key and certificate.
   */
  private setPairId(session: Handle, pair: { publicKey: Handle; privateKey: Handle }, id: Buffer, fallback: Buffer): Buffer {
    const refused = (error: unknown) => {
      const ckr = ckrOf(error);
      return ckr !== undefined && TEMPLATE_REJECTED.has(ckr);
    };
    try {
      this.p11.C_SetAttributeValue(session, pair.publicKey, [{ type: CKA.ID, value: id }]);
    } catch (error) {
      if (!refused(error)) throw error;
      return fallback;
    }
    try {
      this.p11.C_SetAttributeValue(session, pair.privateKey, [{ type: CKA.ID, value: id }]);
      return id;
    } catch (error) {
      if (!refused(error)) throw error;
      // Put the public half back in step with the private one.
      this.p11.C_SetAttributeValue(session, pair.publicKey, [{ type: CKA.ID, value: fallback }]);
      return fallback;
    }
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256, by the token's key with this CKA_ID. */
  signSha256(ref: number, options: { id: string; data: Buffer }): Buffer {
    const open = this.session(ref);
    return this.guard(() => {
      const key = this.findOne(open.session, [
        { type: CKA.CLASS, value: CKO.PRIVATE_KEY },
        { type: CKA.ID, value: Buffer.from(options.id, 'hex') },
      ]);
      if (!key) throw new AppError('PKCS11_KEY_NOT_FOUND');
      const mechanisms = this.p11.C_GetMechanismList(open.slot);
      let mechanism: number;
      let input: Buffer;
      if (mechanisms.includes(CKM.SHA256_RSA_PKCS)) {
        mechanism = CKM.SHA256_RSA_PKCS;
        input = options.data;
      } else if (mechanisms.includes(CKM.RSA_PKCS)) {
        // Hash here, wrap in DigestInfo, and let the token do the raw PKCS#1 v1.5 signature.
        mechanism = CKM.RSA_PKCS;
        input = Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(options.data).digest()]);
      } else {
        throw new AppError('PKCS11_MECHANISM_UNSUPPORTED', { detail: 'CKM_SHA256_RSA_PKCS' });
      }
      this.p11.C_SignInit(open.session, { mechanism }, key);
      return Buffer.from(this.p11.C_Sign(open.session, input, Buffer.alloc(1024)));
    });
  }

  /**
   * Which inserted token holds the key: its public key has this CKA_ID and this
   * modulus. Public objects are readable without a PIN.
   */
  findKeyToken(options: { id: string; modulus: Buffer }): TokenDescriptor | undefined {
    this.open();
    return this.guard(() => {
      for (const { slot, token } of this.presentTokens()) {
        const session = this.p11.C_OpenSession(slot, CKF.SERIAL_SESSION);
        try {
          const key = this.findOne(session, [
            { type: CKA.CLASS, value: CKO.PUBLIC_KEY },
            { type: CKA.ID, value: Buffer.from(options.id, 'hex') },
          ]);
          if (!key) continue;
          const [modulus] = this.p11.C_GetAttributeValue(session, key, [{ type: CKA.MODULUS }]);
          if (Buffer.isBuffer(modulus?.value) && modulus.value.equals(options.modulus)) return token;
        } finally {
          this.p11.C_CloseSession(session);
        }
      }
      return undefined;
    });
  }

  /** Stores a certificate (the holder's beside its key, or a CA's): see TokenCertificates.write. */
  writeCertificate(ref: number, cert: CertificateObject): 'written' | 'present' {
    const open = this.session(ref);
    return this.guard(() => new TokenCertificates(this.p11, open.session).write(cert));
  }

  listCertificates(ref: number): StoredCertificate[] {
    const open = this.session(ref);
    return this.guard(() => new TokenCertificates(this.p11, open.session).list());
  }

  labelCertificate(ref: number, options: { der: Buffer; label: string }): boolean {
    const open = this.session(ref);
    return this.guard(() => new TokenCertificates(this.p11, open.session).relabel(options.der, options.label));
  }

  /** The certificate objects and public keys' CKA_IDs of the token with this serial, read without a login (they are public objects). */
  readPublicObjects(serial: string): { certificates: StoredCertificate[]; keyIds: string[] } {
    this.open();
    return this.guard(() => {
      const session = this.p11.C_OpenSession(this.slotFor(serial).slot, CKF.SERIAL_SESSION);
      try {
        const objects = new TokenCertificates(this.p11, session);
        return { certificates: objects.list(), keyIds: objects.publicKeyIds() };
      } finally {
        this.p11.C_CloseSession(session);
      }
    });
  }

  /** Removes a certificate object (and the key pair with `keyId`, when given): see TokenCertificates.remove. */
  removeCertificate(ref: number, options: { der: Buffer; keyId?: string }): { removed: boolean; keyObjects: number } {
    const open = this.session(ref);
    return this.guard(() => new TokenCertificates(this.p11, open.session).remove(options.der, options.keyId));
  }

  private generate(session: Handle, options: { bits: number; label: string; subject?: Buffer }, id: Buffer, kind: 'full' | 'minimal') {
    const { publicTemplate, privateTemplate } = rsaKeyPairTemplates({ ...options, id, kind });
    return this.p11.C_GenerateKeyPair(session, { mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN }, publicTemplate, privateTemplate);
  }

  private loginUser(slot: Handle, session: Handle, pin: string | undefined): void {
    try {
      this.p11.C_Login(session, CKU_USER, pin);
    } catch (error) {
      const ckr = ckrOf(error);
      if (ckr === CKR.USER_ALREADY_LOGGED_IN) return;
      if (ckr === CKR.PIN_INCORRECT) {
        // Read the flags again: the token may now be nearly or fully locked.
        const after = this.describe(slot);
        if (after.pinLocked) throw new AppError('PKCS11_PIN_LOCKED', { cause: error });
        // COUNT_LOW only says a wrong PIN was entered before; FINAL_TRY means one attempt is left.
        if (after.pinFinalTry) throw new AppError('PKCS11_PIN_NEARLY_LOCKED', { cause: error });
      }
      throw error;
    }
  }

  private describe(slot: Handle): TokenDescriptor {
    const info = this.p11.C_GetTokenInfo(slot);
    const slotInfo = this.p11.C_GetSlotInfo(slot);
    const flag = (f: number) => (info.flags & f) !== 0;
    return {
      serial: trim(info.serialNumber),
      label: trim(info.label),
      manufacturer: trim(info.manufacturerID),
      model: trim(info.model),
      slotDescription: trim(slotInfo.slotDescription),
      loginRequired: flag(CKF.LOGIN_REQUIRED),
      protectedAuthPath: flag(CKF.PROTECTED_AUTHENTICATION_PATH),
      pinCountLow: flag(CKF.USER_PIN_COUNT_LOW),
      pinFinalTry: flag(CKF.USER_PIN_FINAL_TRY),
      pinLocked: flag(CKF.USER_PIN_LOCKED),
      pinToBeChanged: flag(CKF.USER_PIN_TO_BE_CHANGED),
      writeProtected: flag(CKF.WRITE_PROTECTED),
      rsaKeySizes: this.rsaSizes(slot),
    };
  }

  private rsaSizes(slot: Handle): number[] {
    try {
      const info = this.p11.C_GetMechanismInfo(slot, CKM.RSA_PKCS_KEY_PAIR_GEN);
      if ((info.flags & CKF.GENERATE_KEY_PAIR) === 0) return [];
      return RSA_SIZES.filter((bits) => bits >= info.minKeySize && bits <= info.maxKeySize);
    } catch {
      return [];
    }
  }

  /**
   * Tokens that can hold keys, with their slots. Uninitialised tokens (SoftHSM2
   * always shows a spare one) are left out, and so is a token that vanishes
   * while it is being read: it is being pulled out.
   */
  private presentTokens(): { slot: Handle; token: TokenDescriptor }[] {
    const present: { slot: Handle; token: TokenDescriptor }[] = [];
    for (const slot of this.p11.C_GetSlotList(true)) {
      try {
        if ((this.p11.C_GetTokenInfo(slot).flags & CKF.TOKEN_INITIALIZED) === 0) continue;
        present.push({ slot, token: this.describe(slot) });
      } catch {
        continue;
      }
    }
    return present;
  }

  private slotFor(serial: string): { slot: Handle; token: TokenDescriptor } {
    const found = this.presentTokens().find(({ token }) => token.serial === serial);
    if (!found) throw new AppError('PKCS11_TOKEN_NOT_FOUND', { detail: serial });
    return found;
  }

  private session(ref: number): OpenSession {
    const open = this.sessions.get(ref);
    if (!open) throw new AppError('PKCS11_TOKEN_REMOVED', { detail: 'session closed' });
    return open;
  }

  private findOne(session: Handle, template: Attribute[]): Handle | undefined {
    this.p11.C_FindObjectsInit(session, template);
    try {
      return this.p11.C_FindObjects(session, 1)[0];
    } finally {
      this.p11.C_FindObjectsFinal(session);
    }
  }

  private destroyQuietly(session: Handle, objects: Handle[]): void {
    for (const object of objects) {
      try {
        this.p11.C_DestroyObject(session, object);
      } catch {
        // The token may be gone; a leftover key without a ledger entry is harmless.
      }
    }
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toTokenError(error);
    }
  }
}

/** DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');
