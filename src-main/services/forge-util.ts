import forge from 'node-forge';
import type { Signer } from './signer';
import type { SubjectAttribute } from '../../src/domain/employee';

/** node-forge public key from a Signer's modulus and exponent. */
export function forgePublicKey(signer: Signer): forge.pki.rsa.PublicKey {
  const big = (bytes: Buffer) => new forge.jsbn.BigInteger(bytes.toString('hex'), 16);
  return forge.pki.setRsaPublicKey(big(signer.publicKey.modulus), big(signer.publicKey.exponent));
}

/**
 * Subject attributes with the ASN.1 string types that X.509 tools expect:
 * UTF8String for names (Indonesian names may carry accents), PrintableString
 * for the country, IA5String for the e-mail address.
 */
export function forgeSubject(attrs: readonly SubjectAttribute[]): forge.pki.CertificateField[] {
  return attrs.map(({ shortName, value }) => ({
    shortName,
    value,
    valueTagClass: (shortName === 'C'
      ? forge.asn1.Type.PRINTABLESTRING
      : shortName === 'E'
        ? forge.asn1.Type.IA5STRING
        : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }));
}

export function subjectFromForge(attrs: forge.pki.CertificateField[]): SubjectAttribute[] {
  return attrs.map((a) => ({ shortName: a.shortName as SubjectAttribute['shortName'], value: String(a.value) }));
}

export const SHA256_WITH_RSA = forge.pki.oids['sha256WithRSAEncryption']!;

export function derBytes(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** Functions node-forge has but its type definitions omit: the to-be-signed parts. */
const pkiExtra = forge.pki as unknown as {
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};
export const getCertificationRequestInfo = pkiExtra.getCertificationRequestInfo;
export const getTBSCertificate = pkiExtra.getTBSCertificate;

/** node-forge writes PEM with CRLF; files and APIs here use LF like OpenSSL. */
export function lf(pem: string): string {
  return pem.replace(/\r\n/g, '\n');
}
