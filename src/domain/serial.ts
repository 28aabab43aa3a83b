/**
 * Certificate serial numbers as people and tools print them. OpenSSL prints the
 * INTEGER's bytes without a leading 00 sign byte; some tools print it with one,
 * in lower case, or with colons. Every form of the same serial normalises to one
 * string: upper-case hex, an even number of digits, no leading 00 byte.
 */
export function normalizeSerial(text: string): string {
  let hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (hex.length % 2) hex = `0${hex}`;
  while (hex.length > 2 && hex.startsWith('00')) hex = hex.slice(2);
  return hex;
}

/** The forms a stored serial may have been written in by earlier versions: as it is, and with sign bytes. */
export function serialVariants(text: string): string[] {
  const plain = normalizeSerial(text);
  return [plain, `00${plain}`, `0000${plain}`];
}
