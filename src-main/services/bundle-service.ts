import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Input, Output } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { passwordStrength } from '../../src/domain/password';
import { writeFileAtomic } from './atomic-file';
import { certificateFileBase, readUserFile, writeNewFile } from './output-files';
import { inProcessCrypto, type CryptoRunner } from './crypto-runner';
import type { RequestLedger } from './request-ledger';
import { decryptPrivateKey } from './software-key';
import { commonName, isSelfSigned, orderChain, parseCertificate, parseCertificates, splitPem } from './x509-parts';

export interface BundleServiceDeps {
  /** This app's requests: their key files, and the CA certificates seen with downloads. */
  ledger: Pick<RequestLedger, 'list' | 'get'>;
  outputDir(): Promise<string>;
  /** CA certificates from AMS, when it can be reached (PEM); failures give none. */
  amsChain(): Promise<string[]>;
  /** Where PKCS#12 and key decryption run: a worker in the app, this thread by default. */
  crypto?: CryptoRunner;
}

/**
 * Tab "Bundle p12": any certificate (PEM or DER) with any private key (one of
 * this app's file keys, or a PEM/DER PKCS#8 or PKCS#1 file, encrypted or not)
 * into a .p12 with the CA chain when it is known. Every check happens before
 * anything is written.
 */
export class BundleService {
  private readonly crypto: CryptoRunner;

  constructor(private readonly deps: BundleServiceDeps) {
    this.crypto = deps.crypto ?? inProcessCrypto;
  }

  /** The app's file keys, newest first; with a certificate, the one issued for it is marked. */
  async keys(certificatePath?: string): Promise<Output<'bundle.keys'>> {
    let serial: string | undefined;
    if (certificatePath) {
      // An unreadable certificate just means no key is marked yet; create() reports it.
      serial = await readUserFile(certificatePath)
        .then((bytes) => parseCertificate(bytes).serialNumber.toUpperCase())
        .catch(() => undefined);
    }
    return (await this.deps.ledger.list())
      .filter((e) => e.keyStore === 'file' && e.keyPath)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((e) => {
        const own = e.certificate?.serialNumber.toUpperCase();
        return {
          entryId: e.id,
          name: e.employee.name,
          product: e.product,
          createdAt: e.createdAt,
          ...(own ? { serialNumber: own } : {}),
          ...(serial ? { matchesCertificate: own === serial } : {}),
        };
      });
  }

  async create(input: Input<'bundle.create'>): Promise<Output<'bundle.create'>> {
    if (input.password !== input.passwordConfirm) throw new AppError('PASSWORD_MISMATCH');
    if (!passwordStrength(input.password).acceptable) throw new AppError('PASSWORD_WEAK');
    // A PEM file may hold the whole chain in any order: the certificate is the one for this key.
    const inFile = parseCertificates(await readUserFile(input.certificatePath));
    const key = await this.loadKey(input);
    const cert = inFile.find((c) => c.checkPrivateKey(key));
    if (!cert) throw new AppError('CERT_KEY_MISMATCH');
    const chain = await this.chainFor(cert, inFile);
    const p12 = await this.crypto.pkcs12({
      key,
      certificates: [cert.raw, ...chain.map((c) => c.raw)],
      password: input.password,
      friendlyName: commonName(cert),
      profile: input.profile,
    });
    let p12Path: string;
    if (input.outPath) {
      p12Path = path.resolve(input.outPath);
      try {
        await writeFileAtomic(p12Path, p12, { mode: 0o600, exclusive: true });
      } catch (error) {
        const code = ((error as AppError).cause as NodeJS.ErrnoException | undefined)?.code;
        throw code === 'EEXIST' ? new AppError('FILE_EXISTS', { detail: p12Path }) : error;
      }
    } else {
      p12Path = await writeNewFile(await this.deps.outputDir(), certificateFileBase(commonName(cert), cert.serialNumber), '.p12', p12, 0o600);
    }
    return { p12Path, chainLength: chain.length };
  }

  private async loadKey(input: Input<'bundle.create'>): Promise<KeyObject> {
    let bytes: Buffer;
    if (input.key.kind === 'stored') {
      const entry = await this.deps.ledger.get(input.key.entryId);
      if (!entry) throw new AppError('REQUEST_NOT_FOUND');
      if (!entry.keyPath) throw new AppError('KEY_ON_TOKEN');
      bytes = await readUserFile(entry.keyPath);
    } else {
      bytes = await readUserFile(input.key.path);
    }
    return readPrivateKey(bytes, input.keyPassword, this.crypto.openKey);
  }

  /**
   * The chain up from `cert`, from the CA certificates this app has seen (with
   * downloads) and AMS's current chain: each link's issuer is the next one's
   * subject and its signature verifies with the next one's key.
   */
  private async chainFor(cert: X509Certificate, fromFile: X509Certificate[]): Promise<X509Certificate[]> {
    // A file that holds the chain up to a root (or a self-signed certificate) needs nothing else.
    const inFile = orderChain(cert, fromFile);
    const top = inFile.at(-1) ?? cert;
    if (isSelfSigned(top)) return inFile;
    const pems = new Set<string>(fromFile.filter((c) => c !== cert).map((c) => c.toString()));
    for (const entry of await this.deps.ledger.list()) for (const pem of entry.chainPem ?? []) pems.add(pem);
    for (const pem of await this.deps.amsChain().catch(() => [])) for (const one of splitPem(pem)) pems.add(one);
    const candidates = [...pems].flatMap((pem) => {
      try {
        return [new X509Certificate(pem)];
      } catch {
        return [];
      }
    });
    return orderChain(cert, candidates);
  }
}

/**
 * A private key from a key file's bytes: PEM (PKCS#8, PKCS#1, encrypted) or DER
 * (PKCS#8, PKCS#1, encrypted PKCS#8). KEY_INVALID, KEY_PASSWORD_NEEDED, or KEY_PASSWORD_INCORRECT.
 */
export async function readPrivateKey(bytes: Buffer, keyPassword: string | undefined, openKey: CryptoRunner['openKey']): Promise<KeyObject> {
  const text = bytes.toString('utf8');
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted) {
    if (!keyPassword) throw new AppError('KEY_PASSWORD_NEEDED');
    return decryptPrivateKey(text, keyPassword, openKey);
  }
  try {
    if (text.includes('-----BEGIN')) return createPrivateKey({ key: text, format: 'pem' });
    try {
      return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs1' });
    }
  } catch (cause) {
    // An encrypted DER PKCS#8 looks like nothing else: try the password on it.
    if (keyPassword) return decryptPrivateKey(bytes, keyPassword, openKey);
    throw new AppError('KEY_INVALID', { cause });
  }
}
