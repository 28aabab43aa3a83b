import { CKA, CK_CERTIFICATE_CATEGORY, CKC_X_509, CKO } from './constants';
import { ckrOf, TEMPLATE_REJECTED } from './ckr-errors';
import type { Attribute, Handle, Pkcs11Module } from './pkcs11-module';
import type { CertificateObject, StoredCertificate } from './token-types';

const asBuffer = (value: unknown) => (Buffer.isBuffer(value) ? value : Buffer.alloc(0));

/**
 * The certificate objects of one logged-in session: the holder's certificate
 * beside its key, the CA chain beside it, found and relabelled. Called inside
 * the token worker by the TokenDriver.
 */
export class TokenCertificates {
  constructor(
    private readonly p11: Pkcs11Module,
    private readonly session: Handle,
  ) {}

  /**
   * Stores an X.509 certificate: the holder's with its key's CKA_ID and label
   * (and gives the key objects its CKA_SUBJECT if they have none); a CA's with
   * its own label and CKA_ID, category authority and not trusted. A
   * certificate already there is left as it is (a retried download, a chain
   * written before).
   */
  write(cert: CertificateObject): 'written' | 'present' {
    const authority = cert.category === 'authority';
    const id = Buffer.from(cert.id, 'hex');
    const existing = this.find([{ type: CKA.CLASS, value: CKO.CERTIFICATE }, ...(authority ? [] : [{ type: CKA.ID, value: id }]), { type: CKA.VALUE, value: cert.der }], 1);
    if (existing.length) return 'present';
    this.p11.C_CreateObject(this.session, [
      { type: CKA.CLASS, value: CKO.CERTIFICATE },
      { type: CKA.CERTIFICATE_TYPE, value: CKC_X_509 },
      { type: CKA.TOKEN, value: true },
      { type: CKA.PRIVATE, value: false },
      { type: CKA.LABEL, value: cert.label },
      { type: CKA.ID, value: id },
      { type: CKA.SUBJECT, value: cert.subject },
      { type: CKA.ISSUER, value: cert.issuer },
      { type: CKA.SERIAL_NUMBER, value: cert.serialNumber },
      { type: CKA.VALUE, value: cert.der },
      { type: CKA.CERTIFICATE_CATEGORY, value: authority ? CK_CERTIFICATE_CATEGORY.AUTHORITY : CK_CERTIFICATE_CATEGORY.TOKEN_USER },
      ...(authority ? [{ type: CKA.TRUSTED, value: false }] : []),
    ]);
    if (!authority) this.giveKeysSubject(id, cert.subject);
    return 'written';
  }

  /** Every certificate object on the token. */
  list(): StoredCertificate[] {
    return this.find([{ type: CKA.CLASS, value: CKO.CERTIFICATE }], 256).map((handle) => {
      const [id, label, der] = this.p11.C_GetAttributeValue(this.session, handle, [{ type: CKA.ID }, { type: CKA.LABEL }, { type: CKA.VALUE }]);
      return { id: asBuffer(id?.value).toString('hex'), label: String(label?.value ?? '').replace(/\0/g, ''), der: asBuffer(der?.value) };
    });
  }

  /** A new CKA_LABEL for the certificate object with these bytes; false when there is none. */
  relabel(der: Buffer, label: string): boolean {
    const [handle] = this.find([{ type: CKA.CLASS, value: CKO.CERTIFICATE }, { type: CKA.VALUE, value: der }], 1);
    if (handle === undefined) return false;
    this.p11.C_SetAttributeValue(this.session, handle, [{ type: CKA.LABEL, value: label }]);
    return true;
  }

  /** CKA_IDs of the public keys on the token (readable without a PIN): which certificates still have a key beside them. */
  publicKeyIds(): string[] {
    return this.find([{ type: CKA.CLASS, value: CKO.PUBLIC_KEY }], 256).map((handle) => {
      const [id] = this.p11.C_GetAttributeValue(this.session, handle, [{ type: CKA.ID }]);
      return asBuffer(id?.value).toString('hex');
    });
  }

  /**
   * Destroys the certificate object with these bytes and, when `keyId` is given, the key objects
   * (private and public) with that CKA_ID. The caller decides whether the key may go.
   */
  remove(der: Buffer, keyId?: string): { removed: boolean; keyObjects: number } {
    const [handle] = this.find([{ type: CKA.CLASS, value: CKO.CERTIFICATE }, { type: CKA.VALUE, value: der }], 1);
    if (handle === undefined) return { removed: false, keyObjects: 0 };
    this.p11.C_DestroyObject(this.session, handle);
    let keyObjects = 0;
    if (keyId) {
      for (const keyClass of [CKO.PRIVATE_KEY, CKO.PUBLIC_KEY]) {
        for (const key of this.find([{ type: CKA.CLASS, value: keyClass }, { type: CKA.ID, value: Buffer.from(keyId, 'hex') }], 4)) {
          this.p11.C_DestroyObject(this.session, key);
          keyObjects++;
        }
      }
    }
    return { removed: true, keyObjects };
  }

  /** Keys generated before their certificate existed (or by earlier versions) learn its subject; a token that refuses keeps them as they are. */
  private giveKeysSubject(id: Buffer, subject: Buffer): void {
    for (const keyClass of [CKO.PRIVATE_KEY, CKO.PUBLIC_KEY]) {
      for (const key of this.find([{ type: CKA.CLASS, value: keyClass }, { type: CKA.ID, value: id }], 4)) {
        try {
          const [current] = this.p11.C_GetAttributeValue(this.session, key, [{ type: CKA.SUBJECT }]);
          if (asBuffer(current?.value).length === 0) this.p11.C_SetAttributeValue(this.session, key, [{ type: CKA.SUBJECT, value: subject }]);
        } catch (error) {
          const ckr = ckrOf(error);
          if (ckr === undefined || !TEMPLATE_REJECTED.has(ckr)) throw error;
        }
      }
    }
  }

  private find(template: Attribute[], max: number): Handle[] {
    this.p11.C_FindObjectsInit(this.session, template);
    try {
      return this.p11.C_FindObjects(this.session, max);
    } finally {
      this.p11.C_FindObjectsFinal(this.session);
    }
  }
}
