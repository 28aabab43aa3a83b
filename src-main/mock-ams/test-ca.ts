import { createPrivateKey, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { writeFileAtomic } from '../services/atomic-file';
import { derBytes, forgePublicKey, forgeSubject, getTBSCertificate, lf, SHA256_WITH_RSA } from '../services/forge-util';
import { generateSoftwareKey, softwareSigner } from '../services/software-key';
import type { Signer } from '../services/signer';
import type { SubjectAttribute } from '../../src/domain/employee';
import { authorityInfoAccess, caUrls, certificatePolicies, crlDistributionPoint, randomSerialHex, TEST_POLICY_OID } from './ca-extensions';

interface CaPart {
  cert: forge.pki.Certificate;
  pem: string;
  key: KeyObject;
}

export interface IssueOptions {
  subject: SubjectAttribute[];
  email: string;
  publicKey: forge.pki.rsa.PublicKey;
  notBefore: Date;
  notAfter: Date;
  /** Base URL of the mock, for the CRL distribution point, OCSP, caIssuers and CPS URLs. */
  baseUrl: string;
}

export interface IssuedCertificate {
  pem: string;
  serialNumber: string;
}

const DAY = 86_400_000;
// RFC 9336 id-kp-documentSigning and Microsoft's Document Signing, which Adobe and Office look for.
const DOCUMENT_SIGNING_OIDS = ['1.3.6.1.5.5.7.3.36', '1.3.6.1.4.1.311.10.3.12'];

/**
 * The mock's two-level CA (root → issuing CA), created on first start in
 * `dir` and loaded from there afterwards.
 */
export class TestCa {
  private constructor(
    readonly dir: string,
    readonly root: CaPart,
    public issuing: CaPart,
  ) {}

  static async openOrCreate(dir: string, now: Date): Promise<TestCa> {
    const file = (name: string) => path.join(dir, name);
    try {
      const read = (name: string) => fs.readFile(file(name), 'utf8');
      const [rootPem, rootKey, issuingPem, issuingKey] = await Promise.all([
        read('root.pem'),
        read('root.key.pem'),
        read('issuing.pem'),
        read('issuing.key.pem'),
      ]);
      return new TestCa(dir, part(rootPem, rootKey), part(issuingPem, issuingKey));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const rootKey = await generateSoftwareKey(3072);
    const rootSubject: SubjectAttribute[] = [
      { shortName: 'C', value: 'ID' },
      { shortName: 'O', value: 'Mock BSrE (TESTING ONLY)' },
      { shortName: 'CN', value: 'Mock Root CA BSrE (TESTING ONLY)' },
    ];
    const rootCert = await signCertificate({
      subject: rootSubject,
      issuer: rootSubject,
      signer: softwareSigner(rootKey),
      subjectSigner: softwareSigner(rootKey),
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 20 * 365 * DAY),
      extensions: caExtensions(1),
    });
    const issuingKey = await generateSoftwareKey(2048);
    const issuingCert = await signIssuingCa(rootCert, rootKey, issuingKey, now, undefined);
    const pemKey = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
    const rootPem = lf(forge.pki.certificateToPem(rootCert));
    const issuingPem = lf(forge.pki.certificateToPem(issuingCert));
    // Keys first, certificates last: a crash in between leaves no half CA that loads.
    await writeFileAtomic(file('root.key.pem'), pemKey(rootKey), { mode: 0o600 });
    await writeFileAtomic(file('issuing.key.pem'), pemKey(issuingKey), { mode: 0o600 });
    await writeFileAtomic(file('issuing.pem'), issuingPem);
    await writeFileAtomic(file('root.pem'), rootPem);
    return new TestCa(dir, part(rootPem, pemKey(rootKey)), part(issuingPem, pemKey(issuingKey)));
  }

  /**
   * The issuing CA certificate names the root's CRL and certificate under the
   * mock's base URL. A CA folder from an earlier version (no such URLs) or from
   * a mock that listened elsewhere gets its issuing CA re-certified: same key
   * and subject, so every certificate it issued still chains.
   */
  async useBaseUrl(baseUrl: string, now: Date): Promise<void> {
    const urls = caUrls(baseUrl);
    const raw = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(this.issuing.cert)).getBytes(), 'binary');
    if (raw.includes(Buffer.from(urls.rootCrl)) && raw.includes(Buffer.from(urls.rootCrt)) && this.issuing.cert.getExtension('certificatePolicies')) return;
    const cert = await signIssuingCa(this.root.cert, this.root.key, this.issuing.key, now, baseUrl);
    const pem = lf(forge.pki.certificateToPem(cert));
    await writeFileAtomic(path.join(this.dir, 'issuing.pem'), pem);
    this.issuing = { cert, pem, key: this.issuing.key };
  }

  /** Issuing CA first, then the root: the order a .p12 or a TLS chain wants. */
  get chainPem(): string {
    return this.issuing.pem + this.root.pem;
  }

  async issue(options: IssueOptions): Promise<IssuedCertificate> {
    const urls = caUrls(options.baseUrl);
    const extensions = [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, critical: true },
      {
        name: 'extKeyUsage',
        emailProtection: true,
        clientAuth: true,
        ...Object.fromEntries(DOCUMENT_SIGNING_OIDS.map((oid) => [oid, true])),
      },
      { name: 'subjectAltName', altNames: [{ type: 1, value: options.email }] },
      { name: 'authorityKeyIdentifier', keyIdentifier: keyId(this.issuing.cert) },
      crlDistributionPoint(urls.issuingCrl),
      authorityInfoAccess({ ocsp: urls.ocsp, caIssuers: urls.issuingCrt }),
      certificatePolicies({ oid: TEST_POLICY_OID, cps: urls.cps }),
    ];
    const subjectPublicKey = options.publicKey;
    const cert = await signCertificate({
      subject: options.subject,
      issuer: subjectOf(this.issuing.cert),
      signer: softwareSigner(this.issuing.key),
      subjectPublicKey,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      extensions,
    });
    return { pem: lf(forge.pki.certificateToPem(cert)), serialNumber: cert.serialNumber.toUpperCase() };
  }
}

/** The issuing CA's subject key identifier, for CRLs. */
export function subjectKeyId(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(keyId(cert), 'binary');
}

const ISSUING_SUBJECT: SubjectAttribute[] = [
  { shortName: 'C', value: 'ID' },
  { shortName: 'O', value: 'Mock BSrE (TESTING ONLY)' },
  { shortName: 'CN', value: 'Mock Issuing CA BSrE (TESTING ONLY)' },
];

/** The issuing CA's certificate, signed by the root; with the root's CRL and certificate URLs once the base URL is known. */
async function signIssuingCa(rootCert: forge.pki.Certificate, rootKey: KeyObject, issuingKey: KeyObject, now: Date, baseUrl: string | undefined): Promise<forge.pki.Certificate> {
  const urls = baseUrl === undefined ? undefined : caUrls(baseUrl);
  return signCertificate({
    subject: ISSUING_SUBJECT,
    issuer: subjectOf(rootCert),
    signer: softwareSigner(rootKey),
    subjectSigner: softwareSigner(issuingKey),
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 10 * 365 * DAY),
    extensions: [
      ...caExtensions(0),
      { name: 'authorityKeyIdentifier', keyIdentifier: keyId(rootCert) },
      certificatePolicies(),
      ...(urls ? [crlDistributionPoint(urls.rootCrl), authorityInfoAccess({ caIssuers: urls.rootCrt })] : []),
    ],
  });
}

function part(pem: string, keyPem: string): CaPart {
  return { cert: forge.pki.certificateFromPem(pem), pem, key: createPrivateKey(keyPem) };
}

function caExtensions(pathLen: number): object[] {
  return [
    { name: 'basicConstraints', cA: true, pathLenConstraint: pathLen, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ];
}

function subjectOf(cert: forge.pki.Certificate): SubjectAttribute[] {
  return cert.subject.attributes.map((a) => ({ shortName: a.shortName as SubjectAttribute['shortName'], value: String(a.value) }));
}

function keyId(cert: forge.pki.Certificate): string {
  const ski = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
  return ski?.subjectKeyIdentifier ? forge.util.hexToBytes(ski.subjectKeyIdentifier) : '';
}

interface SignCertificateOptions {
  subject: SubjectAttribute[];
  issuer: SubjectAttribute[];
  signer: Signer;
  /** The certified key: a signer of its own (CA certificates) or a public key (leaves). */
  subjectSigner?: Signer;
  subjectPublicKey?: forge.pki.rsa.PublicKey;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}

async function signCertificate(options: SignCertificateOptions): Promise<forge.pki.Certificate> {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.subjectPublicKey ?? forgePublicKey(options.subjectSigner!);
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject(forgeSubject(options.subject));
  cert.setIssuer(forgeSubject(options.issuer));
  cert.setExtensions([...options.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.signatureOid = SHA256_WITH_RSA;
  Object.assign(cert, { siginfo: { algorithmOid: SHA256_WITH_RSA } });
  const tbs = getTBSCertificate(cert);
  const signature = await options.signer.signSha256(derBytes(tbs));
  Object.assign(cert, { tbsCertificate: tbs, signature: signature.toString('binary') });
  return cert;
}
