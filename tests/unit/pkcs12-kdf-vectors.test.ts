import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRoundsEach } from '../../src-main/services/p12/hash-rounds';
import { pkcs12Kdfs, type KdfRequest } from '../../src-main/services/pbe';

/** One request, one digest: the shapes the RFC's vectors and the reference take. */
const pkcs12Kdf = (password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number, hash: 'sha1' | 'sha256') => pkcs12Kdfs(password, [{ salt, id, length }], iterations, hash)[0]!;
const hashRounds = (hash: 'sha1' | 'sha256', digest: Buffer, rounds: number) => hashRoundsEach(hash, [digest], rounds)[0]!;

/** RFC 7292 appendix B written out the slow, obvious way: Node's hash for every round. */
function referenceKdf(password: string, salt: Buffer, id: number, iterations: number, length: number, hash: 'sha1' | 'sha256'): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const pw = Buffer.from(`${password}\0`, 'utf16le').swap16();
  const fill = (src: Buffer) => (src.length ? Buffer.from(Array.from({ length: v * Math.ceil(src.length / v) }, (_, i) => src[i % src.length]!)) : Buffer.alloc(0));
  let I = Buffer.concat([fill(salt), fill(pw)]);
  const out: Buffer[] = [];
  for (let n = 0; n * u < length; n++) {
    let A = createHash(hash).update(Buffer.alloc(v, id)).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    const B = BigInt(`0x${fill(A).toString('hex')}`);
    const blocks: Buffer[] = [];
    for (let j = 0; j < I.length; j += v) {
      const sum = (BigInt(`0x${I.subarray(j, j + v).toString('hex')}`) + B + 1n) % (1n << BigInt(v * 8));
      blocks.push(Buffer.from(sum.toString(16).padStart(v * 2, '0'), 'hex'));
    }
    I = Buffer.concat(blocks);
  }
  return Buffer.concat(out).subarray(0, length);
}

const hex = (s: string) => Buffer.from(s, 'hex');

describe('PKCS#12 key derivation (RFC 7292 appendix B)', () => {
  // The vectors BouncyCastle and OpenSSL test their PKCS#12 KDF with.
  it.each([
    ['smeg', '0A58CF64530D823F', 1, 1, 24, '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3'],
    ['smeg', '0A58CF64530D823F', 2, 1, 8, '79993DFE048D3B76'],
    ['smeg', '642B99AB44FB4B1F', 1, 1, 24, 'F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966'],
    ['smeg', '642B99AB44FB4B1F', 2, 1, 8, 'C0A38D64A79BEA1D'],
    ['queeg', '1682C0FC5B3F7EC5', 1, 1000, 24, '483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F'],
    ['queeg', '1682C0FC5B3F7EC5', 2, 1000, 8, '9D461D1B00355C50'],
    ['queeg', '263216FCC2FAB31C', 3, 1000, 20, '5EC4C7A80DF652294C3925B6489A7AB857C83476'],
  ] as const)('SHA-1 vector: %s, salt %s, id %i, %i iterations', (password, salt, id, iterations, length, expected) => {
    expect(pkcs12Kdf(password, hex(salt), id, iterations, length, 'sha1').toString('hex').toUpperCase()).toBe(expected);
  });

  it.each([
    ['sha1', 2048, 24],
    ['sha1', 2048, 8],
    ['sha256', 1, 32],
    ['sha256', 20_000, 32],
    ['sha256', 5, 70],
  ] as const)('matches the round-by-round reference: %s, %i iterations, %i bytes', (hash, iterations, length) => {
    for (const password of ['Sandi#Kuat2024', 'kata-sandi-yang-panjang-sekali-melewati-satu-blok-64-byte-penuh!', 'Ünïcødé€', '']) {
      const salt = createHash('sha256').update(password).digest().subarray(0, 16);
      expect(pkcs12Kdf(password, salt, 3, iterations, length, hash), `${hash} ${password}`).toEqual(referenceKdf(password, salt, 3, iterations, length, hash));
    }
  }, 60_000);

  it('hashRounds equals repeated hashing with Node’s crypto', () => {
    for (const hash of ['sha1', 'sha256'] as const) {
      let expected = createHash(hash).update('start').digest();
      const start = expected;
      for (let i = 0; i < 777; i++) expected = createHash(hash).update(expected).digest();
      expect(hashRounds(hash, start, 777)).toEqual(expected);
      expect(hashRounds(hash, start, 0)).toEqual(start);
    }
    // A digest of the wrong size is refused, naming both sizes.
    expect(() => hashRounds('sha1', Buffer.alloc(19), 1)).toThrow(new RangeError('hashRoundsEach: a sha1 digest is 20 bytes, not 19'));
    expect(() => hashRounds('sha256', Buffer.alloc(20), 1)).toThrow(new RangeError('hashRoundsEach: a sha256 digest is 32 bytes, not 20'));
  });

  it('hashRounds agrees with Node’s crypto for any digest, round counts 1 to 3, and calls that follow each other', () => {
    for (const hash of ['sha1', 'sha256'] as const) {
      const size = hash === 'sha1' ? 20 : 32;
      for (let trial = 0; trial < 50; trial++) {
        const start = randomBytes(size);
        let expected = start;
        for (let rounds = 1; rounds <= 3; rounds++) {
          expected = createHash(hash).update(expected).digest();
          expect(hashRounds(hash, start, rounds), `${hash} ${start.toString('hex')} ×${rounds}`).toEqual(expected);
        }
      }
      // A digest of the other hash's size is refused, not hashed from the wrong words.
      expect(() => hashRounds(hash, Buffer.alloc(size === 20 ? 32 : 20), 1)).toThrow(RangeError);
    }
  });

  it('hashRoundsEach: every digest its own chain, four SHA-1 lanes at a time, in order, whatever the count', () => {
    const repeated = (hash: 'sha1' | 'sha256', start: Buffer, rounds: number) => {
      let d = start;
      for (let i = 0; i < rounds; i++) d = createHash(hash).update(d).digest();
      return d;
    };
    for (const count of [0, 1, 3, 4, 5, 9]) {
      for (const hash of ['sha1', 'sha256'] as const) {
        // Lanes that differ in one bit, and equal ones: nothing leaks between lanes.
        const starts = Array.from({ length: count }, (_, i) => {
          const d = createHash(hash).update('lane').digest();
          d[i % d.length]! ^= i < 6 ? 1 << i % 8 : 0;
          return d;
        });
        expect(hashRoundsEach(hash, starts, 300), `${hash} ×${count}`).toEqual(starts.map((d) => repeated(hash, d, 300)));
      }
    }
    expect(() => hashRoundsEach('sha1', [Buffer.alloc(20), Buffer.alloc(21)], 1)).toThrow(new RangeError('hashRoundsEach: a sha1 digest is 20 bytes, not 21'));
  });

  it('pkcs12Kdfs: several requests at once give what each gives alone, second blocks and all', () => {
    const salt = (n: number) => createHash('sha1').update(`salt ${n}`).digest().subarray(0, 8);
    const requests: KdfRequest[] = [
      { salt: salt(1), id: 1, length: 24 },
      { salt: salt(1), id: 2, length: 8 },
      { salt: salt(2), id: 1, length: 24 },
      { salt: salt(2), id: 2, length: 8 },
      { salt: salt(3), id: 3, length: 20 },
      { salt: salt(4), id: 1, length: 70 },
    ];
    for (const hash of ['sha1', 'sha256'] as const) {
      for (const count of [1, 5, 6]) {
        const some = requests.slice(0, count);
        expect(pkcs12Kdfs('Kunci#Rahasia2026', some, 2048, hash), `${hash} ×${count}`).toEqual(some.map((r) => referenceKdf('Kunci#Rahasia2026', r.salt, r.id, 2048, r.length, hash)));
      }
    }
    expect(pkcs12Kdfs('x', [], 2048, 'sha1')).toEqual([]);
  }, 60_000);
});
