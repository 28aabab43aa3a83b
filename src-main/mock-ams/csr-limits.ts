/**
 * Cheap limits on a CSR's RSA key, read straight from the DER before any
 * parsing library or signature check runs: verifying a signature costs about
 * the cube of the modulus size and grows with the exponent, so one crafted CSR
 * (16384-bit modulus, huge exponent) could stall the mock for minutes.
 */
import { derChildren, derElementAt, pemBody } from '../services/asn1';

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;
export const MAX_EXPONENT_BITS = 32;

export type CsrLimitCheck = { ok: true } | { ok: false; reason: string };

const UNPARSABLE: CsrLimitCheck = { ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' };

/** Bits of a DER INTEGER's value (leading zero bytes ignored). */
function integerBits(value: Buffer): number {
  const first = value.findIndex((byte) => byte !== 0);
  if (first < 0) return 0;
  return (value.length - first - 1) * 8 + (32 - Math.clz32(value[first]!));
}

/** The DER of the first PEM CSR block; undefined without one. */
const derOf = (pem: string): Buffer | undefined => pemBody(pem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const RSA_ENCRYPTION = Buffer.from('2a864886f70d010101', 'hex');

/** The key limits: an RSA modulus of 2048–4096 bits, a public exponent odd and at most 32 bits. */
export function checkCsrKeyLimits(pem: string): CsrLimitCheck {
  const der = derOf(pem);
  if (!der) return UNPARSABLE;
  try {
    // CertificationRequest = SEQUENCE { info SEQUENCE { version, subject, spki SEQUENCE { algorithm, BIT STRING }, … }, … }
    const request = derElementAt(der);
    const [info] = derChildren(request);
    if (request.tag !== SEQUENCE || info?.tag !== SEQUENCE) return UNPARSABLE;
    const spki = derChildren(info)[2];
    if (spki?.tag !== SEQUENCE) return UNPARSABLE;
    const [algorithm, key] = derChildren(spki);
    const oid = algorithm && derChildren(algorithm)[0];
    if (!oid?.content.equals(RSA_ENCRYPTION)) return { ok: false, reason: 'only RSA keys are accepted' };
    // The BIT STRING's first byte counts unused bits: a key has none. Then RSAPublicKey = SEQUENCE { modulus, exponent }.
    if (key?.tag !== BIT_STRING || key.content[0] !== 0) return UNPARSABLE;
    const [modulus, exponent] = derChildren(derElementAt(key.content, 1));
    if (modulus?.tag !== INTEGER || exponent?.tag !== INTEGER) return UNPARSABLE;
    const modulusBits = integerBits(modulus.content);
    if (modulusBits < MIN_RSA_BITS) return { ok: false, reason: `RSA key must have at least ${MIN_RSA_BITS} bits` };
    if (modulusBits > MAX_RSA_BITS) return { ok: false, reason: `RSA key must have at most ${MAX_RSA_BITS} bits` };
    const exponentBits = integerBits(exponent.content);
    if (exponentBits > MAX_EXPONENT_BITS) return { ok: false, reason: `RSA public exponent must have at most ${MAX_EXPONENT_BITS} bits` };
    if (exponentBits < 2 || (exponent.content.at(-1)! & 1) === 0) return { ok: false, reason: 'RSA public exponent must be odd and greater than 1' };
    return { ok: true };
  } catch {
    // Truncated, an indefinite or over-long length: the DER reader refuses it.
    return UNPARSABLE;
  }
}
