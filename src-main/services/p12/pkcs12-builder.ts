import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { der, OID } from '../asn1';
import { pbes2Encrypt, pkcs12Kdfs, tripleDesEncrypt, type Encrypted } from '../pbe';

/**
 * `compatible`: key and certificate bags under pbeWithSHAAnd3-KeyTripleDES-CBC
 * with an HMAC-SHA1 MAC — what Windows 10/11, macOS Keychain, Adobe Acrobat,
 * Firefox/NSS and OpenSSL 3 (without -legacy) all import.
 * `modern`: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) and an HMAC-SHA256 MAC —
 * OpenSSL 3, NSS and current Windows 11; not older Windows or macOS Keychain.
 */
export type P12Profile = 'compatible' | 'modern';

export interface Pkcs12Input {
  key: KeyObject;
  /** DER certificates: the leaf first, then its chain towards the root. */
  certificates: Buffer[];
  password: string;
  friendlyName: string;
  profile: P12Profile;
  iterations?: number;
}

export const P12_ITERATIONS = { compatible: 2048, modern: 100_000 } as const;

/** Each profile's MAC: its hash (the PKCS#12 KDF's too), salt and key sizes. */
const MAC = {
  compatible: { hash: 'sha1', oid: OID.sha1, saltBytes: 8, keyBytes: 20 },
  modern: { hash: 'sha256', oid: OID.sha256, saltBytes: 16, keyBytes: 32 },
} as const;

/**
 * A PKCS#12 file: the leaf and chain in an encrypted SafeContents, the key in a
 * shrouded key bag, localKeyID and friendlyName on the key and the leaf, and a
 * MAC over it all. Encoded here because node-forge leaves certificates
 * unencrypted and limits the MAC to SHA-1 below 65,536 iterations.
 */
export async function buildPkcs12(input: Pkcs12Input): Promise<Buffer> {
  const iterations = input.iterations ?? P12_ITERATIONS[input.profile];
  const mac = MAC[input.profile];
  const macSalt = randomBytes(mac.saltBytes);
  let encryptCertificates: (plain: Buffer) => Promise<Encrypted>;
  let encryptKey: (plain: Buffer) => Promise<Encrypted>;
  let macKey: Buffer;
  if (input.profile === 'modern') {
    encryptCertificates = encryptKey = (plain) => pbes2Encrypt(plain, input.password, iterations);
    [macKey] = pkcs12Kdfs(input.password, [{ salt: macSalt, id: 3, length: mac.keyBytes }], iterations, mac.hash) as [Buffer];
  } else {
    // Every key the file needs, derived together: the KDF's chains run side by side.
    const [certificatesSalt, keySalt] = [randomBytes(8), randomBytes(8)];
    const [certificatesKey, certificatesIv, keyKey, keyIv, compatibleMacKey] = pkcs12Kdfs(
      input.password,
      [
        { salt: certificatesSalt, id: 1, length: 24 },
        { salt: certificatesSalt, id: 2, length: 8 },
        { salt: keySalt, id: 1, length: 24 },
        { salt: keySalt, id: 2, length: 8 },
        { salt: macSalt, id: 3, length: mac.keyBytes },
      ],
      iterations,
      mac.hash,
    ) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    encryptCertificates = async (plain) => tripleDesEncrypt(plain, { salt: certificatesSalt, key: certificatesKey, iv: certificatesIv }, iterations);
    encryptKey = async (plain) => tripleDesEncrypt(plain, { salt: keySalt, key: keyKey, iv: keyIv }, iterations);
    macKey = compatibleMacKey;
  }

  const [leaf, ...chain] = input.certificates;
  if (!leaf) throw new Error('a PKCS#12 needs the certificate');
  // localKeyID pairs the key with its certificate: SHA-1 of the certificate, as OpenSSL does.
  const localKeyId = createHash('sha1').update(leaf).digest();
  const leafAttributes = der.set([
    der.seq([der.oid(OID.friendlyName), der.set([der.bmp(input.friendlyName)])]),
    der.seq([der.oid(OID.localKeyId), der.set([der.octets(localKeyId)])]),
  ]);

  const certBag = (cert: Buffer, attributes?: Buffer) =>
    der.seq([
      der.oid(OID.certBag),
      der.explicit(0, der.seq([der.oid(OID.x509Certificate), der.explicit(0, der.octets(cert))])),
      ...(attributes ? [attributes] : []),
    ]);
  const certContents = der.seq([certBag(leaf, leafAttributes), ...chain.map((c) => certBag(c))]);
  const certsEncrypted = await encryptCertificates(certContents);

  const keyEncrypted = await encryptKey(input.key.export({ type: 'pkcs8', format: 'der' }));
  const keyBag = der.seq([der.oid(OID.keyBag), der.explicit(0, der.seq([keyEncrypted.algorithm, der.octets(keyEncrypted.ciphertext)])), leafAttributes]);
  const keyContents = der.seq([keyBag]);

  const authSafe = der.seq([
    der.seq([
      der.oid(OID.encryptedData),
      der.explicit(0, der.seq([der.int(0), der.seq([der.oid(OID.data), certsEncrypted.algorithm, der.implicit(0, certsEncrypted.ciphertext)])])),
    ]),
    der.seq([der.oid(OID.data), der.explicit(0, der.octets(keyContents))]),
  ]);

  const digest = createHmac(mac.hash, macKey).update(authSafe).digest();

  return der.seq([
    der.int(3),
    der.seq([der.oid(OID.data), der.explicit(0, der.octets(authSafe))]),
    der.seq([der.seq([der.seq([der.oid(mac.oid), der.nul()]), der.octets(digest)]), der.octets(macSalt), der.int(iterations)]),
  ]);
}
