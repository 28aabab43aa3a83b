import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { pkcs12Kdfs } from '../../src-main/services/pbe';

const pkcs12Kdf = (password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number, hash: 'sha1' | 'sha256') => pkcs12Kdfs(password, [{ salt, id, length }], iterations, hash)[0]!;

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B) against an independent
 * implementation, node-forge's, for passwords, salts and output lengths on
 * both sides of every block boundary (hash output 20/32 bytes, block 64 bytes).
 */
function forgeKdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number, hash: 'sha1' | 'sha256'): Buffer {
  const md = hash === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create();
  const bytes = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.toString('binary')), id, iterations, length, md);
  return Buffer.from(bytes.getBytes(), 'binary');
}

describe('pkcs12Kdf', () => {
  it('matches node-forge for random inputs', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
        fc.uint8Array({ minLength: 0, maxLength: 70 }),
        fc.constantFrom<1 | 2 | 3>(1, 2, 3),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 140 }),
        fc.constantFrom<'sha1' | 'sha256'>('sha1', 'sha256'),
        (password, salt, id, iterations, length, hash) => {
          const ours = pkcs12Kdf(password, Buffer.from(salt), id, iterations, length, hash);
          expect(ours.toString('hex')).toBe(forgeKdf(password, Buffer.from(salt), id, iterations, length, hash).toString('hex'));
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });

  it.each([19, 20, 21, 31, 32, 33, 63, 64, 65, 128, 129])('output of %i bytes (around the hash and block sizes)', (length) => {
    for (const hash of ['sha1', 'sha256'] as const) {
      const salt = Buffer.from('0a58cf64530d823f', 'hex');
      expect(pkcs12Kdf('smeg', salt, 1, 3, length, hash).toString('hex')).toBe(forgeKdf('smeg', salt, 1, 3, length, hash).toString('hex'));
    }
  });

  it('a password of exactly one and of more than one 64-byte block (BMPString with its terminating zero)', () => {
    for (const password of ['', 'a'.repeat(31), 'a'.repeat(32), 'a'.repeat(33), 'é'.repeat(40)]) {
      const salt = Buffer.alloc(8, 7);
      expect(pkcs12Kdf(password, salt, 3, 2, 20, 'sha1').toString('hex'), JSON.stringify(password)).toBe(forgeKdf(password, salt, 3, 2, 20, 'sha1').toString('hex'));
    }
  });

  it('the ids and the iteration count change the output', () => {
    const salt = Buffer.alloc(8, 1);
    const out = (id: 1 | 2 | 3, iterations: number) => pkcs12Kdf('Kunci#Rahasia2026', salt, id, iterations, 24, 'sha1').toString('hex');
    expect(new Set([out(1, 2048), out(2, 2048), out(3, 2048), out(1, 2047)]).size).toBe(4);
  });
});
