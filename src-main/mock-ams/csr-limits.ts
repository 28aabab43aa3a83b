/**
 * Cheap limits on a CSR's RSA key, read straight from the DER before any
 * parsing library or signature check runs: verifying a signature costs about
 * the cube of the modulus size and grows with the exponent, so one crafted CSR
 * (16384-bit modulus, huge exponent) could stall the mock for minutes.
 */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;
export const MAX_EXPONENT_BITS = 32;

export type CsrLimitCheck = { ok: true } | { ok: false; reason: string };

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER TLV at `offset`, with definite lengths only (DER has no other). */
function tlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error('truncated');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new Error('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > limit) throw new Error('truncated');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end && out.length < 16; ) {
    const child = tlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Bits of a DER INTEGER's value (leading zero bytes ignored). */
function integerBits(der: Uint8Array, node: Tlv): number {
  let at = node.start;
  while (at < node.end && der[at] === 0) at++;
  if (at === node.end) return 0;
  return (node.end - at - 1) * 8 + (32 - Math.clz32(der[at]!));
}

/** The DER of the first PEM block, or of the bytes as given. */
function derOf(pem: string): Uint8Array | undefined {
  const match = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/.exec(pem);
  if (!match) return undefined;
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const RSA_ENCRYPTION = Buffer.from('2a864886f70d010101', 'hex');

/** The key limits: an RSA modulus of 2048–4096 bits, a public exponent odd and at most 32 bits. */
export function checkCsrKeyLimits(pem: string): CsrLimitCheck {
  const der = derOf(pem);
  if (!der || der.length === 0) return { ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' };
  try {
    const request = tlv(der, 0, der.length);
    const [info] = children(der, request);
    if (request.tag !== SEQUENCE || info?.tag !== SEQUENCE) throw new Error('not a CSR');
    const spki = children(der, info)[2];
    if (spki?.tag !== SEQUENCE) throw new Error('no public key');
    const [algorithm, key] = children(der, spki);
    const oid = algorithm && children(der, algorithm)[0];
    if (!oid || !Buffer.from(der.subarray(oid.start, oid.end)).equals(RSA_ENCRYPTION)) return { ok: false, reason: 'only RSA keys are accepted' };
    if (key?.tag !== BIT_STRING || der[key.start] !== 0) throw new Error('bad key');
    const rsa = tlv(der, key.start + 1, key.end);
    const [modulus, exponent] = children(der, rsa);
    if (modulus?.tag !== INTEGER || exponent?.tag !== INTEGER) throw new Error('bad RSA key');
    const modulusBits = integerBits(der, modulus);
    if (modulusBits < MIN_RSA_BITS) return { ok: false, reason: `RSA key must have at least ${MIN_RSA_BITS} bits` };
    if (modulusBits > MAX_RSA_BITS) return { ok: false, reason: `RSA key must have at most ${MAX_RSA_BITS} bits` };
    const exponentBits = integerBits(der, exponent);
    if (exponentBits > MAX_EXPONENT_BITS) return { ok: false, reason: `RSA public exponent must have at most ${MAX_EXPONENT_BITS} bits` };
    if (exponentBits < 2 || (der[exponent.end - 1]! & 1) === 0) return { ok: false, reason: 'RSA public exponent must be odd and greater than 1' };
    return { ok: true };
  } catch {
    return { ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' };
  }
}
