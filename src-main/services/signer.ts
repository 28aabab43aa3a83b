/**
 * Signs bytes with a private key that the caller never sees: a software key in
 * this process, or a key inside a PKCS#11 token. The CSR builder and the mock
 * CA both sign through this seam.
 */
export interface Signer {
  /** RSA modulus and public exponent, big-endian unsigned. */
  readonly publicKey: { modulus: Buffer; exponent: Buffer };
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`. */
  signSha256(data: Buffer): Promise<Buffer>;
}
