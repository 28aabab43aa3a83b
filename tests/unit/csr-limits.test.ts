import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { derChildren, derElementAt } from '../../src-main/services/asn1';
import { checkCsrKeyLimits, MAX_EXPONENT_BITS, MAX_RSA_BITS, MIN_RSA_BITS } from '../../src-main/mock-ams/csr-limits';

/**
 * The mock's cheap CSR key limits (src-main/mock-ams/csr-limits.ts), each just
 * below, at and just above its threshold: modulus 2048..4096 bits, public
 * exponent odd, greater than 1 and at most 32 bits. The limits are read from
 * the DER before any signature check, so the CSRs carry any (n, e) and are
 * signed with an unrelated key.
 */
const signingKey = forge.pki.privateKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);

/** A number of exactly `bits` bits (top bit set), odd unless `even`. */
function ofBits(bits: number, even = false): string {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const topBit = (bits - 1) % 8;
  bytes[0] = (bytes[0]! & ((1 << topBit) - 1)) | (1 << topBit);
  bytes[bytes.length - 1] = even ? bytes[bytes.length - 1]! & 0xfe : bytes[bytes.length - 1]! | 1;
  return bytes.toString('hex');
}

function csrWithKey(nHex: string, e: number | string): string {
  const csr = forge.pki.createCertificationRequest();
  const eHex = typeof e === 'number' ? e.toString(16) : e;
  csr.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger(nHex, 16), new forge.jsbn.BigInteger(eHex, 16));
  csr.setSubject([{ shortName: 'CN', value: 'LIMITS' }]);
  csr.sign(signingKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

const OK = { ok: true };
const TOO_SMALL = { ok: false, reason: 'RSA key must have at least 2048 bits' };
const TOO_LARGE = { ok: false, reason: 'RSA key must have at most 4096 bits' };
const EXPONENT_TOO_LONG = { ok: false, reason: 'RSA public exponent must have at most 32 bits' };
const EXPONENT_NOT_ODD = { ok: false, reason: 'RSA public exponent must be odd and greater than 1' };
const UNPARSABLE = { ok: false, reason: 'CSR cannot be parsed (PEM PKCS#10 with an RSA key expected)' };

describe('mock CSR key limits: modulus size', () => {
  it('the limits are 2048 and 4096 bits, and 32 exponent bits', () => {
    expect([MIN_RSA_BITS, MAX_RSA_BITS, MAX_EXPONENT_BITS]).toEqual([2048, 4096, 32]);
  });

  it.each([
    [2047, TOO_SMALL],
    [2048, OK],
    [2049, OK],
    [4095, OK],
    [4096, OK],
    [4097, TOO_LARGE],
  ])('a %i-bit modulus', (bits, outcome) => {
    expect(checkCsrKeyLimits(csrWithKey(ofBits(bits), 65537))).toEqual(outcome);
  });

  it('counts bits, not bytes: the sign byte (0x00) of the DER INTEGER does not count', () => {
    // A 4096-bit modulus has its top bit set, so its INTEGER is 513 bytes; counted with the sign byte it would be 4104 bits.
    const n = ofBits(4096);
    expect(n.length).toBe(1024);
    expect(checkCsrKeyLimits(csrWithKey(n, 3))).toEqual(OK);
  });
});

describe('mock CSR key limits: public exponent', () => {
  it.each([
    ['0', '00', EXPONENT_NOT_ODD],
    ['1', 1, EXPONENT_NOT_ODD],
    ['2 (even)', 2, EXPONENT_NOT_ODD],
    ['3', 3, OK],
    ['65536 (even)', 65536, EXPONENT_NOT_ODD],
    ['65537', 65537, OK],
    ['31 bits, odd', ofBits(31), OK],
    ['32 bits, odd (0xffffffff)', 'ffffffff', OK],
    ['32 bits, even', ofBits(32, true), EXPONENT_NOT_ODD],
    ['33 bits, odd', ofBits(33), EXPONENT_TOO_LONG],
    ['a 2048-bit exponent', ofBits(2048), EXPONENT_TOO_LONG],
  ] as const)('exponent %s', (_name, e, outcome) => {
    expect(checkCsrKeyLimits(csrWithKey(ofBits(2048), e))).toEqual(outcome);
  });

  it('the modulus is checked before the exponent', () => {
    expect(checkCsrKeyLimits(csrWithKey(ofBits(2047), 2))).toEqual(TOO_SMALL);
    expect(checkCsrKeyLimits(csrWithKey(ofBits(4097), ofBits(33)))).toEqual(TOO_LARGE);
  });
});

describe('mock CSR key limits: what is not an RSA CSR', () => {
  it('an EC key is refused as not RSA', () => {
    const ec = execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x'], { encoding: 'utf8' });
    expect(checkCsrKeyLimits(ec)).toEqual({ ok: false, reason: 'only RSA keys are accepted' });
  });

  it('no PEM block, an empty block, a truncated or garbled DER: cannot be parsed', () => {
    const pem = csrWithKey(ofBits(2048), 65537);
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const block = (b64: string) => `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`;
    const der = Buffer.from(body, 'base64');
    expect(checkCsrKeyLimits('not a CSR')).toEqual(UNPARSABLE);
    expect(checkCsrKeyLimits(block(''))).toEqual(UNPARSABLE);
    expect(checkCsrKeyLimits(block(der.subarray(0, der.length - 300).toString('base64')))).toEqual(UNPARSABLE);
    // Cut in the signature only: the key is whole, but the DER says more bytes follow than there are.
    expect(checkCsrKeyLimits(block(der.subarray(0, der.length - 10).toString('base64')))).toEqual(UNPARSABLE);
    expect(checkCsrKeyLimits(block(Buffer.from([0x30, 0x80, 0, 0]).toString('base64')))).toEqual(UNPARSABLE);
    expect(checkCsrKeyLimits(block(Buffer.from([0x31, 0x03, 0x30, 0x01, 0x00]).toString('base64')))).toEqual(UNPARSABLE);
    // The "NEW CERTIFICATE REQUEST" label that older tools write is read too.
    expect(checkCsrKeyLimits(pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST'))).toEqual(OK);
  });

  it('a length in the long form is read with up to four length bytes; five are refused', () => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    expect(der.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x82]));
    const content = der.subarray(4);
    const block = (bytes: Buffer) => `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const withLengthBytes = (count: number) => {
      const length = Buffer.alloc(count);
      length.writeUIntBE(content.length, count - 3, 3);
      return Buffer.concat([Buffer.from([0x30, 0x80 | count]), length, content]);
    };
    expect(checkCsrKeyLimits(block(withLengthBytes(3)))).toEqual(OK);
    expect(checkCsrKeyLimits(block(withLengthBytes(4)))).toEqual(OK);
    expect(checkCsrKeyLimits(block(withLengthBytes(5)))).toEqual(UNPARSABLE);
  });

  /** A PEM CSR block of an outer SEQUENCE (two-byte length) around `parts`. */
  const wrapped = (...parts: Buffer[]) => {
    const content = Buffer.concat(parts);
    const outer = Buffer.concat([Buffer.from([0x30, 0x82, content.length >> 8, content.length & 0xff]), content]);
    return `-----BEGIN CERTIFICATE REQUEST-----\n${outer.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  };

  it('an indefinite length (BER 0x80, never DER) is refused wherever it is, even after the key', () => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const [info, algorithm] = derChildren(derElementAt(der));
    expect(checkCsrKeyLimits(wrapped(info!.raw, algorithm!.raw, Buffer.from([0x03, 0x80])))).toEqual(UNPARSABLE);
  });

  it('a lone byte after the signature (a TLV with no room for its length), or a length without its bytes, is refused', () => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const parts = derChildren(derElementAt(der)).map((part) => part.raw);
    expect(checkCsrKeyLimits(wrapped(...parts))).toEqual(OK);
    expect(checkCsrKeyLimits(wrapped(...parts, Buffer.from([0x05])))).toEqual(UNPARSABLE);
    // … or one whose long-form length bytes are missing.
    expect(checkCsrKeyLimits(wrapped(...parts, Buffer.from([0x04, 0x82])))).toEqual(UNPARSABLE);
    expect(checkCsrKeyLimits(wrapped(...parts, Buffer.from([0x04, 0x82, 0x00])))).toEqual(UNPARSABLE);
    // Its length bytes ending exactly at the end are whole: an empty element, read like any other.
    expect(checkCsrKeyLimits(wrapped(...parts, Buffer.from([0x04, 0x81, 0x00])))).toEqual(OK);
  });

  /** Where each part of a CSR's key starts in its DER (the tag byte), and the BIT STRING's unused-bits byte. */
  function layout(der: Buffer) {
    const at = (element: { raw: Buffer } | Buffer) => ('raw' in element ? element.raw : element).byteOffset - der.byteOffset;
    const request = derElementAt(der);
    const info = derChildren(request)[0]!;
    const spki = derChildren(info)[2]!;
    const key = derChildren(spki)[1]!;
    const [modulus, exponent] = derChildren(derElementAt(key.content, 1));
    return { request: at(request), info: at(info), spki: at(spki), key: at(key), unusedBits: at(key.content), modulus: at(modulus!), exponent: at(exponent!) };
  }

  it.each([
    ['the request is a SET, not a SEQUENCE', 'request', 0x31],
    ['its info is a SET, not a SEQUENCE', 'info', 0x31],
    ['the public key info is a SET, not a SEQUENCE', 'spki', 0x31],
    ['the key is an OCTET STRING, not a BIT STRING', 'key', 0x04],
    ['the key’s BIT STRING says a bit is unused', 'unusedBits', 0x01],
    ['the modulus is an ENUMERATED, not an INTEGER', 'modulus', 0x0a],
    ['the exponent is an ENUMERATED, not an INTEGER', 'exponent', 0x0a],
  ] as const)('every size right, but %s: cannot be parsed', (_what, part, byte) => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const block = (bytes: Buffer) => `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(checkCsrKeyLimits(block(der))).toEqual(OK);
    const changed = Buffer.from(der);
    changed[layout(der)[part]] = byte;
    expect(checkCsrKeyLimits(block(changed))).toEqual(UNPARSABLE);
  });

  it('a modulus of zeros is 0 bits however many bytes it takes: too small', () => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const key = derChildren(derChildren(derChildren(derElementAt(der))[0]!)[2]!)[1]!;
    const [modulus] = derChildren(derElementAt(key.content, 1));
    expect(modulus!.content.length).toBe(257);
    modulus!.content.fill(0);
    expect(checkCsrKeyLimits(`-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`)).toEqual(TOO_SMALL);
  });

  it('a key whose algorithm names nothing is not an RSA key', () => {
    const der = Buffer.from(csrWithKey(ofBits(2048), 65537).replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    /** A DER element: tag, a two-byte long-form length, content. */
    const element = (tag: number, ...parts: Buffer[]) => {
      const content = Buffer.concat(parts);
      return Buffer.concat([Buffer.from([tag, 0x82, content.length >> 8, content.length & 0xff]), content]);
    };
    const [info, signatureAlgorithm, signature] = derChildren(derElementAt(der));
    const [version, subject, spki, ...rest] = derChildren(info!);
    const key = derChildren(spki!)[1]!;
    const emptyAlgorithm = element(0x30, element(0x30), key.raw);
    const request = element(0x30, element(0x30, version!.raw, subject!.raw, emptyAlgorithm, ...rest.map((r) => r.raw)), signatureAlgorithm!.raw, signature!.raw);
    expect(checkCsrKeyLimits(`-----BEGIN CERTIFICATE REQUEST-----\n${request.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`)).toEqual({ ok: false, reason: 'only RSA keys are accepted' });
  });
});

