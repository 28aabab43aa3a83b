import forge, { type Asn1 } from './forge-asn1';

/** Small constructors over node-forge's ASN.1, for the structures we encode by hand. */
const { asn1 } = forge;
type Node = Asn1;

export const der = {
  seq: (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items),
  set: (items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items),
  oid: (value: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes()),
  octets: (bytes: Buffer): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary')),
  int: (n: number): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes()),
  nul: (): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  /** node-forge writes a BMPString's value as UTF-16BE itself. */
  bmp: (text: string): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, text),
  /** [n] EXPLICIT */
  explicit: (n: number, inner: Node): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, [inner]),
  /** [n] IMPLICIT OCTET STRING */
  implicitOctets: (n: number, bytes: Buffer): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, false, bytes.toString('binary')),
  /** A pre-encoded DER element, kept as it is. */
  raw: (bytes: Buffer): Node => asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))),
  encode: (node: Node): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary'),
};

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeWithSHAAnd3DES: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  keyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};
