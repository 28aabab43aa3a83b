/**
 * Whether a .p12 passphrase will open everywhere. PKCS#12 turns the passphrase
 * into BMPString bytes (UTF-16); OpenSSL, NSS, GnuTLS and Python agree on that
 * for any character, but Java's PKCS12 KeyStore (keytool, jarsigner and the
 * signing tools built on it) derives keys from non-ASCII characters
 * differently and cannot open the file. Printable ASCII is safe everywhere.
 */
export function passphraseOpensEverywhere(passphrase: string): boolean {
  return /^[\x20-\x7e]*$/.test(passphrase);
}
