/**
 * The PKCS#12 KDF's inner loop, A = H(H(...H(A))), for SHA-1 and SHA-256 in
 * plain JavaScript on 32-bit integers. Every round after the first hashes one
 * digest, so the message is always one padded 64-byte block of known layout:
 * no buffers, no padding logic and no call into OpenSSL per round (which cost
 * ~2 µs each and made the loop the whole price of a .p12).
 */

const W1 = new Int32Array(80);
const W2 = new Int32Array(64);

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Hashes `digest` (20 bytes) `rounds` more times with SHA-1. */
function sha1Rounds(digest: Buffer, rounds: number): Buffer {
  const s = new Int32Array(5);
  for (let i = 0; i < 5; i++) s[i] = digest.readInt32BE(i * 4);
  const w = W1;
  for (let r = 0; r < rounds; r++) {
    w.set(s, 0);
    w[5] = 0x80000000 | 0;
    w.fill(0, 6, 15);
    w[15] = 160;
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = 0x67452301 | 0;
    let b = 0xefcdab89 | 0;
    let c = 0x98badcfe | 0;
    let d = 0x10325476 | 0;
    let e = 0xc3d2e1f0 | 0;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    s[0] = (0x67452301 + a) | 0;
    s[1] = (0xefcdab89 + b) | 0;
    s[2] = (0x98badcfe + c) | 0;
    s[3] = (0x10325476 + d) | 0;
    s[4] = (0xc3d2e1f0 + e) | 0;
  }
  const out = Buffer.alloc(20);
  for (let i = 0; i < 5; i++) out.writeInt32BE(s[i]!, i * 4);
  return out;
}

const H256 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((x) => x | 0);

/** Hashes `digest` (32 bytes) `rounds` more times with SHA-256. */
function sha256Rounds(digest: Buffer, rounds: number): Buffer {
  const s = new Int32Array(8);
  for (let i = 0; i < 8; i++) s[i] = digest.readInt32BE(i * 4);
  const w = W2;
  const k = K256;
  for (let r = 0; r < rounds; r++) {
    w.set(s, 0);
    w[8] = 0x80000000 | 0;
    w.fill(0, 9, 15);
    w[15] = 256;
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = H256[0]!;
    let b = H256[1]!;
    let c = H256[2]!;
    let d = H256[3]!;
    let e = H256[4]!;
    let f = H256[5]!;
    let g = H256[6]!;
    let h = H256[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + k[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (H256[0]! + a) | 0;
    s[1] = (H256[1]! + b) | 0;
    s[2] = (H256[2]! + c) | 0;
    s[3] = (H256[3]! + d) | 0;
    s[4] = (H256[4]! + e) | 0;
    s[5] = (H256[5]! + f) | 0;
    s[6] = (H256[6]! + g) | 0;
    s[7] = (H256[7]! + h) | 0;
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) out.writeInt32BE(s[i]!, i * 4);
  return out;
}

/** `digest` hashed `rounds` more times with `hash`. */
export function hashRounds(hash: 'sha1' | 'sha256', digest: Buffer, rounds: number): Buffer {
  return hash === 'sha1' ? sha1Rounds(digest, rounds) : sha256Rounds(digest, rounds);
}
