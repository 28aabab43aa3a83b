import { describe, expect, it } from 'vitest';
import { CKA, CKK_RSA, CKO } from '../../src-main/services/pkcs11/constants';
import { rsaKeyPairTemplates } from '../../src-main/services/pkcs11/key-templates';

/**
 * The templates exactly as sent to C_GenerateKeyPair (what a token keeps is
 * read back from SoftHSM2 in tests/integration/pkcs11-templates.test.ts).
 */
const id = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
const asMap = (template: { type: number; value?: unknown }[]) => {
  const map = new Map(template.map((a) => [a.type, a.value]));
  expect(map.size, 'no attribute twice').toBe(template.length);
  return map;
};

describe('RSA key pair templates', () => {
  it('full: the private key is token-resident, private, sensitive, not extractable, for signing and decryption', () => {
    const { privateTemplate, publicTemplate } = rsaKeyPairTemplates({ bits: 3072, label: 'LOCK MAMAN', id, kind: 'full' });
    expect(asMap(privateTemplate)).toEqual(
      new Map<number, unknown>([
        [CKA.TOKEN, true],
        [CKA.LABEL, 'LOCK MAMAN'],
        [CKA.ID, id],
        [CKA.PRIVATE, true],
        [CKA.SENSITIVE, true],
        [CKA.SIGN, true],
        [CKA.CLASS, CKO.PRIVATE_KEY],
        [CKA.KEY_TYPE, CKK_RSA],
        [CKA.EXTRACTABLE, false],
        [CKA.DECRYPT, true],
      ]),
    );
    expect(asMap(publicTemplate)).toEqual(
      new Map<number, unknown>([
        [CKA.TOKEN, true],
        [CKA.LABEL, 'LOCK MAMAN'],
        [CKA.ID, id],
        [CKA.VERIFY, true],
        [CKA.MODULUS_BITS, 3072],
        [CKA.PUBLIC_EXPONENT, Buffer.from([1, 0, 1])],
        [CKA.CLASS, CKO.PUBLIC_KEY],
        [CKA.KEY_TYPE, CKK_RSA],
        [CKA.PRIVATE, false],
        [CKA.ENCRYPT, true],
      ]),
    );
  });

  it('minimal: a sensitive private signing key and its public half, nothing a strict token could refuse', () => {
    const { privateTemplate, publicTemplate } = rsaKeyPairTemplates({ bits: 2048, label: 'LOCK MAMAN', id, kind: 'minimal' });
    expect(asMap(privateTemplate)).toEqual(
      new Map<number, unknown>([
        [CKA.TOKEN, true],
        [CKA.LABEL, 'LOCK MAMAN'],
        [CKA.ID, id],
        [CKA.PRIVATE, true],
        [CKA.SENSITIVE, true],
        [CKA.SIGN, true],
      ]),
    );
    expect(asMap(publicTemplate)).toEqual(
      new Map<number, unknown>([
        [CKA.TOKEN, true],
        [CKA.LABEL, 'LOCK MAMAN'],
        [CKA.ID, id],
        [CKA.VERIFY, true],
        [CKA.MODULUS_BITS, 2048],
        [CKA.PUBLIC_EXPONENT, Buffer.from([1, 0, 1])],
      ]),
    );
  });

  it('with the subject-to-be: CKA_SUBJECT on both halves of a full template, never on a minimal one, never empty', () => {
    const subject = Buffer.from('3011310f300d06035504030c064d414d414e', 'hex');
    const full = rsaKeyPairTemplates({ bits: 2048, label: 'L', id, kind: 'full', subject });
    expect(asMap(full.privateTemplate).get(CKA.SUBJECT)).toEqual(subject);
    expect(asMap(full.publicTemplate).get(CKA.SUBJECT)).toEqual(subject);
    const minimal = rsaKeyPairTemplates({ bits: 2048, label: 'L', id, kind: 'minimal', subject });
    expect(asMap(minimal.privateTemplate).has(CKA.SUBJECT)).toBe(false);
    expect(asMap(minimal.publicTemplate).has(CKA.SUBJECT)).toBe(false);
    const empty = rsaKeyPairTemplates({ bits: 2048, label: 'L', id, kind: 'full', subject: Buffer.alloc(0) });
    expect(asMap(empty.privateTemplate).has(CKA.SUBJECT)).toBe(false);
  });
});
