import { createPublicKey, verify } from 'node:crypto';
import forge from 'node-forge';
import { sameSubject, type SubjectAttribute } from '../../src/domain/employee';
import { subjectFromForge } from '../services/forge-util';
import { checkCsrKeyLimits, MIN_RSA_BITS } from './csr-limits';
import { derChildren, derElementAt } from '../services/asn1';

export { MIN_RSA_BITS };
/** The accepted signature algorithms and the hash each one names. */
const HASH_OF: Record<string, string> = { sha256WithRSAEncryption: 'sha256', sha384WithRSAEncryption: 'sha384', sha512WithRSAEncryption: 'sha512' };

export type CsrCheck =
  | { ok: true; publicKey: forge.pki.rsa.PublicKey; der: string }
  | { ok: false; reason: string };

/**
 * What AMS checks before it accepts a CSR: it parses, its signature verifies
 * with its own key (proof of possession), the key is RSA of at least 2048 bits,
 * and the subject is exactly the employee's.
 */
export function checkCsr(pem: string, expected: readonly SubjectAttribute[]): CsrCheck {
  // Sizes first, from the DER alone: a huge key must never reach a parser or a signature check.
  const limits = checkCsrKeyLimits(pem);
  if (!limits.ok) return limits;
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(pem);
  } catch {
    return { ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' };
  }
  const algorithm = forge.pki.oids[csr.signatureOid ?? ''];
  if (typeof algorithm !== 'string' || !Object.hasOwn(HASH_OF, algorithm)) {
    return { ok: false, reason: `signature algorithm not accepted: ${String(algorithm ?? csr.signatureOid)}` };
  }
  if (!verifiesWithOwnKey(pem, HASH_OF[algorithm]!)) return { ok: false, reason: 'CSR signature does not verify' };
  // An RSA key of an accepted size: checkCsrKeyLimits refused anything else before forge parsed it.
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey;
  if (!sameSubject(subjectFromForge(csr.subject.attributes), expected)) {
    return { ok: false, reason: 'CSR subject differs from the employee data in AMS' };
  }
  return { ok: true, publicKey, der: csrDer(pem) };
}

/** The DER bytes that identify a CSR however its PEM was wrapped. */
export function csrDer(pem: string): string {
  return forge.pem.decode(pem)[0]!.body;
}

/**
 * Proof of possession with Node's crypto (OpenSSL) over the request info's
 * bytes as sent: CertificationRequest = SEQUENCE { info, algorithm, BIT STRING }.
 * Only for a CSR forge has parsed: its signature is a BIT STRING whose first
 * byte (unused bits) is 0 — forge refuses any other.
 */
function verifiesWithOwnKey(pem: string, hash: string): boolean {
  try {
    const [info, , signature] = derChildren(derElementAt(Buffer.from(csrDer(pem), 'binary')));
    const spki = derChildren(info!)[2]!;
    const key = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' });
    return verify(hash, info!.raw, key, signature!.content.subarray(1));
  } catch {
    return false;
  }
}
