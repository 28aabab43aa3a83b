import { createHash, X509Certificate } from 'node:crypto';
import { derChildren, oidOf, derElementAt } from './asn1';
import { AppError } from '../../src/contract/errors';

/**
 * OpenSSL accepts a certificate without decoding its extension values, so the
 * parts read here (the subject key identifier's inner OCTET STRING) can still be
 * bytes the DER reader refuses: CERT_INVALID.
 */
function readable<T>(read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('CERT_INVALID', { cause });
  }
}

/** The DER pieces a PKCS#11 certificate object carries: subject, issuer, serial. */
export function certificateParts(der: Buffer): { subject: Buffer; issuer: Buffer; serialNumber: Buffer } {
  return readable(() => readParts(der));
}

function readParts(der: Buffer): { subject: Buffer; issuer: Buffer; serialNumber: Buffer } {
  const tbs = derChildren(derChildren(derElementAt(der))[0]!);
  // A v3 certificate starts with [0] version; serial, signature, issuer, validity, subject follow.
  const offset = tbs[0]!.tag === 0xa0 ? 1 : 0;
  const [serialNumber, , issuer, , subject] = tbs.slice(offset);
  if (!subject) throw new Error('DER: a TBSCertificate cut short');
  // Copies: the parts outlive the certificate's bytes.
  return { serialNumber: Buffer.from(serialNumber!.raw), issuer: Buffer.from(issuer!.raw), subject: Buffer.from(subject.raw) };
}

/** A certificate from PEM or DER bytes, or CERT_INVALID. */
export function parseCertificate(bytes: Buffer): X509Certificate {
  try {
    return new X509Certificate(bytes);
  } catch (cause) {
    throw new AppError('CERT_INVALID', { cause });
  }
}

/** The certificate's CN, for file names and friendly names. */
export function commonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? 'sertifikat';
}

/** RSA modulus of the certificate's public key, big-endian. */
export function certificateModulus(cert: X509Certificate): Buffer {
  const jwk = cert.publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.n ?? '', 'base64url');
}

/** Each PEM certificate in a text, in order. */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}

/**
 * The certificate's subjectKeyIdentifier (hex), or the SHA-1 of its public key
 * bits where it has none (RFC 5280 §4.2.1.2, method 1): a CA certificate's
 * CKA_ID on a token.
 */
export function subjectKeyIdentifier(cert: X509Certificate): string {
  return readable(() => readSubjectKeyIdentifier(cert));
}

function readSubjectKeyIdentifier(cert: X509Certificate): string {
  const tbs = derChildren(derChildren(derElementAt(cert.raw))[0]!);
  const extensions = tbs.find((element) => element.tag === 0xa3);
  for (const extension of extensions ? derChildren(derChildren(extensions)[0]!) : []) {
    const [oid, ...rest] = derChildren(extension);
    if (oid && oidOf(oid) === '2.5.29.14') return derElementAt(rest[rest.length - 1]!.content).content.toString('hex');
  }
  const bits = derChildren(derElementAt(cert.publicKey.export({ type: 'spki', format: 'der' })))[1]!.content.subarray(1);
  return createHash('sha1').update(bits).digest('hex');
}

/**
 * The chain up from `leaf` out of certificates in any order: each link's
 * issuer is the next one's subject and its signature verifies with the next
 * one's key; stops at a self-signed root, a loop or 8 links.
 */
export function orderChain(leaf: X509Certificate, candidates: readonly X509Certificate[]): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current = leaf;
  // Self-signed, not merely self-issued: a root key rollover's link certificate has its own name as issuer.
  while (!isSelfSigned(current) && chain.length < 8) {
    const issuers = candidates.filter((c) => c.subject === current.issuer && c.fingerprint256 !== current.fingerprint256 && current.verify(c.publicKey));
    // A root and a rollover link may both sign it: the root, whatever order the certificates came in.
    const issuer = issuers.find(isSelfSigned) ?? issuers[0];
    if (!issuer || issuer.fingerprint256 === leaf.fingerprint256 || chain.some((c) => c.fingerprint256 === issuer.fingerprint256)) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

export const isSelfSigned = (cert: X509Certificate): boolean => cert.subject === cert.issuer && cert.verify(cert.publicKey);

/** Every certificate in a PEM text (any order), or the one DER certificate; CERT_INVALID when there is none. */
export function parseCertificates(bytes: Buffer): X509Certificate[] {
  const pems = splitPem(bytes.toString('latin1'));
  if (pems.length <= 1) return [parseCertificate(bytes)];
  return pems.map((pem) => parseCertificate(Buffer.from(pem, 'latin1')));
}
