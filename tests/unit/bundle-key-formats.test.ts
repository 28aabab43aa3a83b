import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readPrivateKey } from '../../src-main/services/bundle-service';
import { inProcessCrypto } from '../../src-main/services/crypto-runner';

// The key files Bundle p12 reads (bundle-service.ts readPrivateKey): each format in, the same key out.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PASSWORD = 'Kunci#Rahasia2026';
const read = (bytes: Buffer | string, password?: string) => readPrivateKey(Buffer.from(bytes), password, inProcessCrypto.openKey);
const same = (key: KeyObject) => expect(key.export({ format: 'jwk' })).toEqual(privateKey.export({ format: 'jwk' }));

describe('a key file for Bundle p12', () => {
  it('PEM or DER, PKCS#8 or PKCS#1, without a password: the key', async () => {
    same(await read(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    same(await read(privateKey.export({ type: 'pkcs1', format: 'pem' })));
    same(await read(privateKey.export({ type: 'pkcs8', format: 'der' })));
    same(await read(privateKey.export({ type: 'pkcs1', format: 'der' })));
  });

  it('encrypted PKCS#8, PEM or DER: the key with the right password; KEY_PASSWORD_NEEDED without one, KEY_PASSWORD_INCORRECT with a wrong one', async () => {
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD });
    const der = privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PASSWORD });
    same(await read(pem, PASSWORD));
    same(await read(der, PASSWORD));
    await expect(read(pem)).rejects.toMatchObject({ code: 'KEY_PASSWORD_NEEDED' });
    await expect(read(pem, 'Salah#Sekali2026')).rejects.toMatchObject({ code: 'KEY_PASSWORD_INCORRECT' });
  });

  it('bytes that are no key: KEY_INVALID', async () => {
    // The crypto library's own reason is kept as the cause, for a support log.
    await expect(read('not a key at all')).rejects.toMatchObject({ code: 'KEY_INVALID', cause: expect.any(Error) });
    await expect(read(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]))).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});
