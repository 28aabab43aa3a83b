import { createHash, type X509Certificate } from 'node:crypto';
import type { TokenCertificate } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { normalizeSerial } from '../../src/domain/serial';
import type { StoredCertificate } from './pkcs11/token-types';
import { loginOptions, type TokenService } from './pkcs11/token-service';
import type { RequestLedger } from './request-ledger';
import { certificateParts, commonName, parseCertificate } from './x509-parts';

export interface TokenCertificateDeps {
  tokens: TokenService;
  ledger: RequestLedger;
  now?: () => Date;
}

/** What AMS said about certificates this computer asked for (from the ledger): serials, normalised. */
export interface AmsVerdicts {
  revoked: ReadonlySet<string>;
  renewed: ReadonlySet<string>;
}

interface Parsed {
  stored: StoredCertificate;
  cert: X509Certificate;
  subject: Buffer;
}

/**
 * The Download tab's view of the certificates on a token, and the removal of
 * one that is no longer in use. A certificate that is the current one of its
 * holder is never removed, nor is a CA certificate; a key pair goes with its
 * certificate only when no other certificate on the token has its CKA_ID.
 * The decision is made again after the PIN, on what the token holds then.
 */
export class TokenCertificateService {
  private readonly now: () => Date;

  constructor(private readonly deps: TokenCertificateDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async list(library: string, serial: string): Promise<TokenCertificate[]> {
    const { certificates, keyIds } = await this.deps.tokens.readPublicObjects(library, serial);
    return classifyCertificates(certificates, await this.verdicts(), this.now(), new Set(keyIds));
  }

  async remove(
    library: string,
    login: { tokenSerial: string; pin?: string | undefined; confirmFinalTry?: boolean | undefined; newPin?: string | undefined },
    fingerprint: string,
  ): Promise<{ removed: TokenCertificate; keyRemoved: boolean }> {
    const session = await this.deps.tokens.login(library, loginOptions(login.tokenSerial, login));
    try {
      const stored = await this.deps.tokens.listCertificates(session);
      const views = classifyCertificates(stored, await this.verdicts(), this.now());
      const index = views.findIndex((v) => v.fingerprint === fingerprint);
      const view = views[index];
      if (!view) throw new AppError('CERT_NOT_ON_TOKEN');
      if (!view.removable) throw new AppError('CERT_STILL_IN_USE', { detail: `${view.label} (${view.state})` });
      const target = stored.find((s) => fingerprintOf(s.der) === fingerprint)!;
      const result = await this.deps.tokens.removeCertificate(session, target.der, view.removesKey ? view.keyId : undefined);
      if (!result.removed) throw new AppError('CERT_NOT_ON_TOKEN');
      return { removed: view, keyRemoved: result.keyObjects > 0 };
    } finally {
      await this.deps.tokens.logout(session);
    }
  }

  private async verdicts(): Promise<AmsVerdicts> {
    const revoked = new Set<string>();
    const renewed = new Set<string>();
    for (const entry of await this.deps.ledger.list()) {
      const cert = entry.certificate;
      if (!cert) continue;
      if (entry.amsStatus === 'revoked' || cert.status === 'Revoke') revoked.add(normalizeSerial(cert.serialNumber));
      else if (cert.status === 'Renew') renewed.add(normalizeSerial(cert.serialNumber));
    }
    return { revoked, renewed };
  }
}

export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Each certificate object's state. A holder certificate is expired past its
 * notAfter, revoked when AMS said so, replaced when AMS says renewed or a newer
 * certificate of the same holder (same subject) on the token is neither
 * revoked nor expired; otherwise current. `keyIds` (public keys present), when
 * known, limits removesKey to certificates that have a key beside them.
 * Objects that are not X.509 certificates are left out: nothing is said about them.
 */
export function classifyCertificates(stored: StoredCertificate[], verdicts: AmsVerdicts, now: Date, keyIds?: ReadonlySet<string>): TokenCertificate[] {
  const parsed: Parsed[] = [];
  for (const s of stored) {
    try {
      const cert = parseCertificate(s.der);
      parsed.push({ stored: s, cert, subject: certificateParts(cert.raw).subject });
    } catch {
      continue;
    }
  }
  const lapsed = (p: Parsed) => Date.parse(p.cert.validTo) < now.getTime() || verdicts.revoked.has(normalizeSerial(p.cert.serialNumber));
  const holders = parsed.filter((p) => !p.cert.ca);
  return parsed.map((p) => {
    const serial = normalizeSerial(p.cert.serialNumber);
    const authority = p.cert.ca;
    let state: TokenCertificate['state'];
    if (Date.parse(p.cert.validTo) < now.getTime()) state = 'expired';
    else if (authority) state = 'current';
    else if (verdicts.revoked.has(serial)) state = 'revoked';
    else if (verdicts.renewed.has(serial) || holders.some((o) => o !== p && o.subject.equals(p.subject) && !lapsed(o) && newer(o.cert, p.cert))) state = 'replaced';
    else state = 'current';
    const removable = !authority && state !== 'current';
    const sharesKey = parsed.some((o) => o !== p && o.stored.id === p.stored.id);
    const hasKey = keyIds === undefined || keyIds.has(p.stored.id);
    return {
      fingerprint: fingerprintOf(p.stored.der),
      label: p.stored.label,
      keyId: p.stored.id,
      commonName: commonName(p.cert),
      serialNumber: serial,
      notBefore: new Date(p.cert.validFrom).toISOString(),
      notAfter: new Date(p.cert.validTo).toISOString(),
      category: authority ? ('authority' as const) : ('holder' as const),
      state,
      removable,
      removesKey: removable && p.stored.id !== '' && hasKey && !sharesKey,
    };
  });
}

/** `a` was issued after `b` (a later notBefore; the same second: the later notAfter). */
function newer(a: X509Certificate, b: X509Certificate): boolean {
  const from = Date.parse(a.validFrom) - Date.parse(b.validFrom);
  return from > 0 || (from === 0 && Date.parse(a.validTo) > Date.parse(b.validTo));
}
