/**
 * DER (X.690) for the structures we encode and take apart by hand: a writer of
 * a few constructors over Buffers, and a reader of definite-length elements
 * (certificate parts, encrypted key files, the mock's CSR checks). Without
 * node-forge, so that building a .p12 or reading a certificate's parts loads
 * none of it (with its ASN.1, PEM and buffer modules, the code V8 kept compiled
 * for `lock-desktop bundle-p12` was 309 KB; without, 263 KB).
 */

/** One element: tag, length, contents. */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  if (n >= 0x1000000) throw new RangeError('DER element over 16 MB');
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** A non-negative whole number's INTEGER contents. */
function wholeNumber(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative whole number: ${n}`);
  const bytes: number[] = [];
  for (let left = n; left > 0; left = Math.floor(left / 256)) bytes.unshift(left % 256);
  return unsignedContents(Buffer.from(bytes));
}

/** A non-negative INTEGER's contents from big-endian bytes, at their shortest (DER): a leading 00 only before a set top bit. */
function unsignedContents(bytes: Buffer): Buffer {
  let at = 0;
  while (at < bytes.length && bytes[at] === 0) at++;
  const digits = bytes.subarray(at);
  return digits.length > 0 && digits[0]! < 0x80 ? digits : Buffer.concat([Buffer.from([0]), digits]);
}

function oidBytes(dotted: string): Buffer {
  if (!/^[0-2]\.\d+(\.\d+)*$/.test(dotted)) throw new RangeError(`not an object identifier: ${dotted}`);
  const [first, second, ...rest] = dotted.split('.').map(Number);
  if (![second, ...rest].every(Number.isSafeInteger)) throw new RangeError(`an arc too large: ${dotted}`);
  const bytes: number[] = [];
  // The first two arcs share one subidentifier; each is base 128, high bit on all but its last byte.
  for (const value of [first! * 40 + second!, ...rest]) {
    const base128 = [value & 0x7f];
    for (let left = Math.floor(value / 128); left > 0; left = Math.floor(left / 128)) base128.unshift((left & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return Buffer.from(bytes);
}

/** YYMMDDhhmmssZ (UTCTime) or YYYYMMDDhhmmssZ (GeneralizedTime), UTC, whole seconds. */
const timeText = (date: Date, digitsOfYear: 2 | 4) => date.toISOString().replace(/[-:T]|\.\d+/g, '').slice(4 - digitsOfYear);

export const der = {
  seq: (items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items)),
  set: (items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items)),
  oid: (dotted: string): Buffer => tlv(0x06, oidBytes(dotted)),
  octets: (bytes: Buffer): Buffer => tlv(0x04, bytes),
  /** A non-negative whole number. */
  int: (n: number): Buffer => tlv(0x02, wholeNumber(n)),
  /** A non-negative INTEGER from its big-endian bytes (a serial number). */
  unsigned: (bytes: Buffer): Buffer => tlv(0x02, unsignedContents(bytes)),
  enumerated: (n: number): Buffer => tlv(0x0a, wholeNumber(n)),
  nul: (): Buffer => Buffer.from([0x05, 0x00]),
  /** A BMPString: UTF-16BE. */
  bmp: (text: string): Buffer => tlv(0x1e, Buffer.from(text, 'utf16le').swap16()),
  /** A BIT STRING of whole bytes. */
  bits: (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes])),
  /** UTCTime, which has two digits for the year: 1950 to 2049 only. */
  utcTime: (date: Date): Buffer => {
    const year = date.getUTCFullYear();
    if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold the year ${year}`);
    return tlv(0x17, Buffer.from(timeText(date, 2), 'latin1'));
  },
  generalizedTime: (date: Date): Buffer => tlv(0x18, Buffer.from(timeText(date, 4), 'latin1')),
  /** X.509's Time (RFC 5280 §4.1.2.5, §5.1.2.4): UTCTime for 1950 to 2049, GeneralizedTime otherwise. */
  time: (date: Date): Buffer => (date.getUTCFullYear() >= 1950 && date.getUTCFullYear() < 2050 ? der.utcTime(date) : der.generalizedTime(date)),
  /** [n] EXPLICIT */
  explicit: (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner),
  /** [n] IMPLICIT: the contents of a primitive element (or, constructed, its elements) under a context tag. */
  implicit: (n: number, content: Buffer, constructed = false): Buffer => tlv((constructed ? 0xa0 : 0x80) | n, content),
};

/** The contents of the first PEM block in `text` labelled one of `labels` (other blocks are passed over, as OpenSSL does), or undefined. */
export function pemBody(text: string, labels: readonly string[]): Buffer | undefined {
  for (const [, label, body] of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
    if (labels.includes(label!)) return Buffer.from(body!.replace(/\s+/g, ''), 'base64');
  }
  return undefined;
}

/** An element read from DER, as views on the bytes read: what a signature covers is checked over the bytes as sent. */
export interface DerElement {
  tag: number;
  /** The whole element: tag, length and contents. */
  raw: Buffer;
  /** The contents only. */
  content: Buffer;
}

/**
 * The one element at `offset` in `bytes`, or a thrown Error: a tag of one byte,
 * a definite length that fits. Lenient where DER is strict and nothing here
 * depends on it (a length not written at its shortest); a caller that needs the
 * input to be one element and nothing more compares `raw.length`.
 */
export function derElementAt(bytes: Buffer, offset = 0): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: cut short');
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tag');
  let length = first;
  let start = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: indefinite or oversized length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[start + i];
      if (byte === undefined) throw new Error('DER: cut short');
      length = length * 256 + byte;
    }
    start += count;
  }
  if (start + length > bytes.length) throw new Error('DER: length past the end');
  return { tag, raw: bytes.subarray(offset, start + length), content: bytes.subarray(start, start + length) };
}

/** The elements of a constructed element, in order. */
export function derChildren(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) throw new Error('DER: not a constructed element');
  const items: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const item = derElementAt(element.content, offset);
    items.push(item);
    offset += item.raw.length;
  }
  return items;
}

/** An OBJECT IDENTIFIER element's dotted text. */
export function oidOf(element: DerElement): string {
  if (element.tag !== 0x06 || element.content.length === 0) throw new Error('DER: not an OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of element.content) {
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  if (element.content[element.content.length - 1]! & 0x80) throw new Error('DER: OID cut short');
  return arcs.join('.');
}

/** An INTEGER element's value; past 2^53 only roughly (callers check Number.isSafeInteger). */
export function integerOf(element: DerElement): number {
  if (element.tag !== 0x02 || element.content.length === 0) throw new Error('DER: not an INTEGER');
  const [first, ...rest] = element.content;
  return rest.reduce((n, byte) => n * 256 + byte, first! >= 0x80 ? first! - 256 : first!);
}

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
