import { AppError } from '../../../src/contract/errors';
import { realPkcs11Module, type Pkcs11Module } from './pkcs11-module';
import { TokenDriver, type CertificateObject, type LoginOptions } from './token-driver';

/** The operations the token worker offers, with their arguments. */
export interface TokenOps {
  listTokens: Record<string, never>;
  login: LoginOptions;
  logout: { ref: number };
  generateRsaKeyPair: { ref: number; bits: number; label: string; subject?: Buffer };
  signSha256: { ref: number; id: string; data: Buffer };
  findKeyToken: { id: string; modulus: Buffer };
  writeCertificate: { ref: number; cert: CertificateObject };
  listCertificates: { ref: number };
  labelCertificate: { ref: number; der: Buffer; label: string };
  readPublicObjects: { serial: string };
  removeCertificate: { ref: number; der: Buffer; keyId?: string };
}
export type TokenOp = keyof TokenOps;

/**
 * One TokenDriver per PKCS#11 library, each with its own pkcs11js instance,
 * kept for the life of the process (Cryptoki is initialised once per library).
 */
export class TokenHost {
  private readonly drivers = new Map<string, TokenDriver>();

  constructor(private readonly createModule: () => Pkcs11Module = realPkcs11Module) {}

  call<O extends TokenOp>(library: string, op: O, args: TokenOps[O]): unknown {
    const driver = this.driver(library);
    const call = { op, args } as { [K in TokenOp]: { op: K; args: TokenOps[K] } }[TokenOp];
    switch (call.op) {
      case 'listTokens':
        return driver.listTokens();
      case 'login':
        return driver.login(call.args);
      case 'logout':
        return driver.logout(call.args.ref);
      case 'generateRsaKeyPair':
        return driver.generateRsaKeyPair(call.args.ref, { ...call.args, ...(call.args.subject ? { subject: Buffer.from(call.args.subject) } : {}) });
      case 'signSha256':
        // Buffers sent to a worker arrive as plain Uint8Arrays.
        return driver.signSha256(call.args.ref, { id: call.args.id, data: Buffer.from(call.args.data) });
      case 'findKeyToken':
        return driver.findKeyToken({ id: call.args.id, modulus: Buffer.from(call.args.modulus) });
      case 'writeCertificate': {
        const cert = call.args.cert;
        return driver.writeCertificate(call.args.ref, {
          ...cert,
          der: Buffer.from(cert.der),
          subject: Buffer.from(cert.subject),
          issuer: Buffer.from(cert.issuer),
          serialNumber: Buffer.from(cert.serialNumber),
        });
      }
      case 'listCertificates':
        return driver.listCertificates(call.args.ref);
      case 'labelCertificate':
        return driver.labelCertificate(call.args.ref, { der: Buffer.from(call.args.der), label: call.args.label });
      case 'readPublicObjects':
        return driver.readPublicObjects(call.args.serial);
      case 'removeCertificate':
        return driver.removeCertificate(call.args.ref, { der: Buffer.from(call.args.der), ...(call.args.keyId ? { keyId: call.args.keyId } : {}) });
      default: {
        const unknown: never = call;
        throw new AppError('INPUT_INVALID', { detail: `unknown token operation ${String((unknown as { op: string }).op)}`, expected: false });
      }
    }
  }

  closeAll(): void {
    for (const driver of this.drivers.values()) driver.close();
    this.drivers.clear();
  }

  private driver(library: string): TokenDriver {
    let driver = this.drivers.get(library);
    if (!driver) {
      driver = new TokenDriver(this.createModule(), library);
      // Throws for a library that does not load; it is not kept, so the user can fix it and retry.
      driver.open();
      this.drivers.set(library, driver);
    }
    return driver;
  }
}
