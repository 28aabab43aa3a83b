/**
 * The raw bytes of a DER structure's elements, without decoding them: what a
 * signature covers must be checked over the bytes as sent, not a re-encoding.
 */
export interface DerElement {
  /** The whole element: tag, length and content. */
  raw: Buffer;
  /** The content octets only. */
  content: Buffer;
  tag: number;
}

/** The element starting at `offset` in `buf`; throws on a truncated or indefinite-length element. */
export function derElementAt(buf: Buffer, offset = 0): DerElement {
  if (offset + 2 > buf.length) throw new Error('DER: truncated header');
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length');
    if (offset + 2 + count > buf.length) throw new Error('DER: truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new Error('DER: truncated content');
  return { raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end), tag };
}

/** The elements inside a constructed element's content. */
export function derChildren(element: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = derElementAt(element.content, offset);
    children.push(child);
    offset += child.raw.length;
  }
  return children;
}
