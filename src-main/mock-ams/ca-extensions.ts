import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * Extensions node-forge cannot write by name, and the URLs the mock CA puts in
 * its certificates. Every URL is under the mock's base URL, so it follows the
 * mock wherever it listens.
 */
const { asn1 } = forge;

/** Under 2.999, the joint-iso-itu-t "example" arc: a policy no real relying party trusts. */
export const TEST_POLICY_OID = '2.999.12.1';
const ANY_POLICY_OID = '2.5.29.32.0';
const CPS_QUALIFIER_OID = '1.3.6.1.5.5.7.2.1';
const OCSP_ACCESS_OID = '1.3.6.1.5.5.7.48.1';
const CA_ISSUERS_ACCESS_OID = '1.3.6.1.5.5.7.48.2';

export const caUrls = (baseUrl: string) => ({
  rootCrt: `${baseUrl}/ca/root.crt`,
  rootCrl: `${baseUrl}/ca/root.crl`,
  issuingCrt: `${baseUrl}/ca/issuing.crt`,
  issuingCrl: `${baseUrl}/ca/issuing.crl`,
  ocsp: `${baseUrl}/ca/ocsp`,
  cps: `${baseUrl}/ca/cps`,
});

const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const uri = (url: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url);

/** authorityInfoAccess: OCSP (leaves only) and caIssuers. */
export function authorityInfoAccess(access: { ocsp?: string; caIssuers: string }): object {
  const descriptions = [
    ...(access.ocsp ? [seq([oid(OCSP_ACCESS_OID), uri(access.ocsp)])] : []),
    seq([oid(CA_ISSUERS_ACCESS_OID), uri(access.caIssuers)]),
  ];
  return { id: '1.3.6.1.5.5.7.1.1', critical: false, value: seq(descriptions) };
}

/** certificatePolicies: the test policy with its CPS URL (leaves), or anyPolicy (the issuing CA). */
export function certificatePolicies(policy: { oid: string; cps?: string } = { oid: ANY_POLICY_OID }): object {
  const qualifiers = policy.cps ? [seq([seq([oid(CPS_QUALIFIER_OID), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.IA5STRING, false, policy.cps)])])] : [];
  return { id: '2.5.29.32', critical: false, value: seq([seq([oid(policy.oid), ...qualifiers])]) };
}

export function crlDistributionPoint(url: string): object {
  return { name: 'cRLDistributionPoints', altNames: [{ type: 6, value: url }] };
}

/**
 * 16 random bytes whose first byte is 01..7F: the INTEGER is positive and needs
 * no 00 sign byte, so every tool prints the same 32 hex digits.
 */
export function randomSerialHex(): string {
  const serial = randomBytes(16);
  serial[0] = 1 + (serial[0]! % 0x7f);
  return serial.toString('hex').toUpperCase();
}
