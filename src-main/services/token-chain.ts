import type { X509Certificate } from 'node:crypto';
import type { TokenService, TokenSession } from './pkcs11/token-service';
import { certificateParts, commonName, parseCertificate, subjectKeyIdentifier } from './x509-parts';

export interface TokenCertificateWrite {
  cert: X509Certificate;
  /** Issuing CA first, then the root. */
  chain: X509Certificate[];
  key: { id: string; label?: string | undefined };
  /** Serials (upper-case hex) that AMS reports revoked, from the ledger. */
  revokedSerials: ReadonlySet<string>;
}

/**
 * Puts a downloaded certificate on the token the way signing software wants
 * it: the holder's certificate beside its key (same CKA_ID and label), each CA
 * certificate of the chain as an authority certificate with its own label and
 * CKA_ID = its subject key identifier (skipped when already there), and the
 * holder's earlier certificates on the token relabelled with name, validity
 * and why they are no longer the one to use.
 */
export async function writeCertificateWithChain(tokens: TokenService, session: TokenSession, options: TokenCertificateWrite): Promise<'written' | 'present'> {
  const { cert, chain, key } = options;
  const written = await tokens.writeCertificate(session, { id: key.id, label: key.label ?? commonName(cert), der: cert.raw, ...certificateParts(cert.raw), category: 'user' });
  for (const ca of chain) {
    await tokens.writeCertificate(session, { id: subjectKeyIdentifier(ca), label: commonName(ca), der: ca.raw, ...certificateParts(ca.raw), category: 'authority' });
  }
  const holder = certificateParts(cert.raw).subject;
  for (const stored of await tokens.listCertificates(session)) {
    if (stored.der.equals(cert.raw)) continue;
    let earlier: X509Certificate;
    try {
      earlier = parseCertificate(stored.der);
    } catch {
      continue;
    }
    if (!certificateParts(earlier.raw).subject.equals(holder)) continue;
    const label = historicLabel(earlier, options.revokedSerials.has(earlier.serialNumber) ? 'revoked' : 'replaced');
    if (stored.label !== label) await tokens.labelCertificate(session, stored.der, label);
  }
  return written;
}

/** "MAMAN 2026-11-30..2027-11-30 revoked": name, validity, status, within 64 characters. */
export function historicLabel(cert: X509Certificate, status: 'revoked' | 'replaced'): string {
  const day = (text: string) => new Date(text).toISOString().slice(0, 10);
  const tail = ` ${day(cert.validFrom)}..${day(cert.validTo)} ${status}`;
  return `${commonName(cert).slice(0, 64 - tail.length)}${tail}`;
}
