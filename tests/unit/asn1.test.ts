import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { der, derChildren, derElementAt, integerOf, oidOf, pemBody } from '../../src-main/services/asn1';

/** node-forge's DER writer, the reference our own must agree with byte for byte. */
const { asn1 } = forge;
const forgeDer = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const universal = (type: number, constructed: boolean, value: forge.asn1.Asn1[] | string) => asn1.create(asn1.Class.UNIVERSAL, type, constructed, value);

describe('DER writer, byte for byte as node-forge writes it', () => {
  it.each([0, 1, 127, 128, 255, 256, 2048, 32_767, 32_768, 100_000, 600_000, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER])('INTEGER %d', (n) => {
    const reference = universal(asn1.Type.INTEGER, false, forge.util.hexToBytes(`00${n.toString(16).padStart(2 * Math.ceil(n.toString(16).length / 2), '0')}`));
    expect(der.int(n).toString('hex')).toBe(forgeDer(reference).toString('hex'));
    expect(integerOf(derElementAt(der.int(n)))).toBe(n);
  });

  it('a serial number: at its shortest, a sign byte only before a set top bit', () => {
    expect(der.unsigned(Buffer.from('0000007f', 'hex')).toString('hex')).toBe('02017f');
    expect(der.unsigned(Buffer.from('80', 'hex')).toString('hex')).toBe('02020080');
    expect(der.unsigned(Buffer.from('00', 'hex')).toString('hex')).toBe('020100');
    expect(der.unsigned(Buffer.alloc(0)).toString('hex')).toBe('020100');
    expect(der.unsigned(Buffer.from('00ff', 'hex')).toString('hex')).toBe('020200ff');
    expect(der.unsigned(Buffer.from('000100', 'hex')).toString('hex')).toBe('02020100');
    expect(der.unsigned(Buffer.from('0123456789abcdef0123', 'hex')).toString('hex')).toBe('020a0123456789abcdef0123');
  });

  it.each(['1.2.840.113549.1.12.1.3', '2.16.840.1.101.3.4.2.1', '1.3.14.3.2.26', '2.5.29.14', '0.9.2342.19200300.100.1.1', '2.999.1'])('OBJECT IDENTIFIER %s, and back', (oid) => {
    expect(der.oid(oid).toString('hex')).toBe(forgeDer(universal(asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())).toString('hex'));
    expect(oidOf(derElementAt(der.oid(oid)))).toBe(oid);
  });

  it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536, 300_000])('OCTET STRING of %d bytes: short and long length forms', (n) => {
    const bytes = Buffer.alloc(n, 0xa5);
    expect(der.octets(bytes).equals(forgeDer(universal(asn1.Type.OCTETSTRING, false, bytes.toString('binary'))))).toBe(true);
    expect(derElementAt(der.octets(bytes)).content.equals(bytes)).toBe(true);
  });

  it('BMPString, BIT STRING, NULL, ENUMERATED, times, context tags, SEQUENCE and SET', () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const cases: [Buffer, forge.asn1.Asn1][] = [
      [der.bmp('MAMAN Ž'), universal(asn1.Type.BMPSTRING, false, 'MAMAN Ž')],
      [der.bits(Buffer.from('abcd', 'hex')), universal(asn1.Type.BITSTRING, false, '\0\xab\xcd')],
      [der.nul(), universal(asn1.Type.NULL, false, '')],
      [der.enumerated(6), universal(asn1.Type.ENUMERATED, false, '\x06')],
      [der.utcTime(date), universal(asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))],
      [der.generalizedTime(date), universal(asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date))],
      [der.explicit(2, der.nul()), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, true, [universal(asn1.Type.NULL, false, '')])],
      [der.implicit(0, Buffer.from('0102', 'hex')), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, '\x01\x02')],
      [der.implicit(1, der.nul(), true), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [universal(asn1.Type.NULL, false, '')])],
      [der.seq([der.int(3), der.set([der.nul()])]), universal(asn1.Type.SEQUENCE, true, [universal(asn1.Type.INTEGER, false, '\x03'), universal(asn1.Type.SET, true, [universal(asn1.Type.NULL, false, '')])])],
    ];
    for (const [ours, reference] of cases) expect(ours.toString('hex')).toBe(forgeDer(reference).toString('hex'));
    expect(der.utcTime(date).subarray(2).toString('latin1')).toBe('260102030405Z');
    expect(der.generalizedTime(date).subarray(2).toString('latin1')).toBe('20260102030405Z');
  });
});

describe('DER writer refusals: what it cannot write right, it does not write', () => {
  it.each([-1, 2.5, Number.NaN, 2 ** 53])('INTEGER or ENUMERATED %d', (n) => {
    expect(() => der.int(n)).toThrow(new RangeError(`not a non-negative whole number: ${n}`));
    expect(() => der.enumerated(n)).toThrow(RangeError);
  });

  it('an element of 16 MB or more', () => {
    expect(der.octets(Buffer.alloc(0xffffff)).subarray(0, 4).toString('hex')).toBe('0483ffff');
    expect(() => der.octets(Buffer.alloc(0x1000000))).toThrow(new RangeError('DER element over 16 MB'));
  });

  it('ENUMERATED at its shortest, a sign byte before a set top bit', () => {
    expect(der.enumerated(6).toString('hex')).toBe('0a0106');
    expect(der.enumerated(200).toString('hex')).toBe('0a0200c8');
  });

  it.each(['1.x.3', '3.1', '11.2', ' 1.2', '1', '1.2.', ''])('OBJECT IDENTIFIER %j', (oid) => {
    expect(() => der.oid(oid)).toThrow(new RangeError(`not an object identifier: ${oid}`));
  });

  it('an OBJECT IDENTIFIER arc past 2^53', () => {
    expect(() => der.oid(`1.2.${2 ** 60}`)).toThrow(new RangeError(`an arc too large: 1.2.${2 ** 60}`));
  });

  it('UTCTime holds 1950 to 2049; X.509 Time is GeneralizedTime outside them (RFC 5280)', () => {
    const at = (year: number) => new Date(Date.UTC(year, 5, 1));
    expect(() => der.utcTime(at(2050))).toThrow(/UTCTime cannot hold the year 2050/);
    expect(() => der.utcTime(at(1949))).toThrow(RangeError);
    expect(der.time(at(2049)).subarray(0, 3).toString('hex')).toBe('170d34');
    expect(der.time(at(1950)).subarray(0, 3).toString('hex')).toBe('170d35');
    expect(der.time(at(2050)).equals(der.generalizedTime(at(2050)))).toBe(true);
    expect(der.time(at(1949)).equals(der.generalizedTime(at(1949)))).toBe(true);
  });
});

describe('DER reader', () => {
  const tree = der.seq([der.int(1), der.seq([der.oid('1.2.3'), der.octets(Buffer.from('hi'))]), der.explicit(0, der.nul())]);

  it('elements are views on the input: tag, whole bytes and contents, in order', () => {
    const [one, inner, tagged] = derChildren(derElementAt(tree));
    expect([one!.tag, inner!.tag, tagged!.tag]).toEqual([0x02, 0x30, 0xa0]);
    expect(integerOf(one!)).toBe(1);
    const [oid, octets] = derChildren(inner!);
    expect(oidOf(oid!)).toBe('1.2.3');
    expect(octets!.content.toString()).toBe('hi');
    expect(octets!.raw.toString('hex')).toBe('04026869');
    expect(derChildren(tagged!)[0]!.raw.toString('hex')).toBe('0500');
    expect(derElementAt(tree, 2).tag).toBe(0x02);
  });

  it('INTEGER values: negative in two\u2019s complement, large ones roughly (the caller checks)', () => {
    expect(integerOf(derElementAt(Buffer.from('0201ff', 'hex')))).toBe(-1);
    expect(integerOf(derElementAt(Buffer.from('02028000', 'hex')))).toBe(-32_768);
    expect(Number.isSafeInteger(integerOf(derElementAt(Buffer.from('020a7fffffffffffffffffff', 'hex'))))).toBe(false);
  });

  it.each([
    ['nothing', '', 'DER: cut short'],
    ['a tag alone', '30', 'DER: cut short'],
    ['a length past the end', '3005020101', 'DER: length past the end'],
    ['a long length cut short', '3082', 'DER: cut short'],
    ['an indefinite length (BER, not DER)', '3080020101 0000', 'DER: indefinite or oversized length'],
    ['a length of five bytes', '30850000000001', 'DER: indefinite or oversized length'],
    ['a multi-byte tag', '1f8101 00', 'DER: multi-byte tag'],
  ])('throws on %s', (_what, hex, message) => {
    expect(() => derElementAt(Buffer.from(hex.replace(/ /g, ''), 'hex'))).toThrow(new Error(message));
  });

  it('throws on an element inside that overruns, contents of a primitive, an OID cut short, a non-INTEGER', () => {
    expect(() => derChildren(derElementAt(Buffer.from('3003020201', 'hex')))).toThrow(/^DER: /);
    expect(() => derChildren(derElementAt(Buffer.from('04020101', 'hex')))).toThrow(/^DER: not a constructed/);
    expect(() => oidOf(derElementAt(Buffer.from('06022a86', 'hex')))).toThrow(/^DER: OID cut short/);
    expect(() => oidOf(derElementAt(Buffer.from('0600', 'hex')))).toThrow(/^DER: not an OID/);
    expect(() => oidOf(derElementAt(Buffer.from('04012a', 'hex')))).toThrow(/^DER: not an OID/);
    expect(() => integerOf(derElementAt(Buffer.from('040101', 'hex')))).toThrow(/^DER: not an INTEGER/);
    expect(() => integerOf(derElementAt(Buffer.from('0400', 'hex')))).toThrow(/^DER: not an INTEGER/);
    expect(() => integerOf(derElementAt(Buffer.from('0200', 'hex')))).toThrow(/^DER: not an INTEGER/);
  });
});

describe('pemBody', () => {
  const block = (label: string, bytes: Buffer, eol = '\n') => `-----BEGIN ${label}-----${eol}${bytes.toString('base64').replace(/.{64}(?=.)/g, `$&${eol}`)}${eol}-----END ${label}-----${eol}`;

  it('the first block with one of the labels, other blocks passed over, any line ending', () => {
    const text = `notes\n${block('CERTIFICATE', Buffer.from('cert'))}${block('ENCRYPTED PRIVATE KEY', Buffer.alloc(100, 7), '\r\n')}${block('ENCRYPTED PRIVATE KEY', Buffer.from('second'))}`;
    expect(pemBody(text, ['ENCRYPTED PRIVATE KEY'])).toEqual(Buffer.alloc(100, 7));
    expect(pemBody(text, ['NEW CERTIFICATE REQUEST', 'CERTIFICATE'])).toEqual(Buffer.from('cert'));
    expect(pemBody(text, ['PRIVATE KEY'])).toBeUndefined();
    // An END that does not match its BEGIN is not a block.
    expect(pemBody('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END CERTIFICATE-----\n', ['PRIVATE KEY'])).toBeUndefined();
  });
});
