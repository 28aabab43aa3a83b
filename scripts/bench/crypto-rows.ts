import { createCipheriv, generateKeyPair, pbkdf2, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { subjectFor } from '../../src/domain/employee';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { TestCa } from '../../src-main/mock-ams/test-ca';
import { buildCsr } from '../../src-main/services/csr-builder';
import { forgePublicKey } from '../../src-main/services/forge-util';
import { buildPkcs12, P12_ITERATIONS, type P12Profile } from '../../src-main/services/p12/pkcs12-builder';
import { encryptPrivateKey, generateSoftwareKey, PBKDF2_ITERATIONS, RSA_BITS, softwareSigner } from '../../src-main/services/software-key';
import { interleaved, median, ROUNDS, runCold, timed, type Row } from './measure';

export const PASSWORD = 'Kunci#Rahasia2026';
const generateKeyPairAsync = promisify(generateKeyPair);
const pbkdf2Async = promisify(pbkdf2);

/** RSA key + encrypted PKCS#8 + CSR, in-process, against plain Node crypto doing the same steps. */
export async function softwareKeyRows(): Promise<Row[]> {
  const ours = async () => {
    const key = await generateSoftwareKey(RSA_BITS);
    await encryptPrivateKey(key, PASSWORD, PBKDF2_ITERATIONS);
    await buildCsr(MAMAN_EMPLOYEE, softwareSigner(key));
  };
  const plain = async () => {
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: RSA_BITS, publicExponent: 0x10001 });
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const aesKey = await pbkdf2Async(PASSWORD, randomBytes(16), PBKDF2_ITERATIONS, 32, 'sha256');
    const cipher = createCipheriv('aes-256-cbc', aesKey, randomBytes(16));
    Buffer.concat([cipher.update(der), cipher.final()]);
    // A CSR's signed part is ~450 bytes for this subject.
    sign('sha256', randomBytes(450), privateKey);
  };
  // RSA generation takes several times longer for one key than another (the search for random primes): over the
  // usual 7 rounds the medians were 0.91–1.47× apart from run to run. Five times the rounds compare the steps.
  const [a, b] = await interleaved(ours, plain, 5 * ROUNDS);
  return [
    {
      name: 'software key: RSA 2048 + PKCS#8 (PBKDF2 600k, AES-256) + CSR, in-process',
      ours: a,
      unit: 'ms',
      anchor: { value: b, what: 'plain Node crypto, same steps' },
      target: { kind: 'ratio', max: 1.2 },
      note: 'RSA generation varies widely per key',
    },
  ];
}

export interface P12Fixture {
  key: KeyObject;
  certificates: Buffer[];
  keyFile: string;
  certFile: string;
  chainFile: string;
}

export async function p12Fixture(dir: string): Promise<P12Fixture> {
  const ca = await TestCa.openOrCreate(path.join(dir, 'ca'), new Date());
  const key = await generateSoftwareKey(RSA_BITS);
  const issued = await ca.issue({
    subject: subjectFor(MAMAN_EMPLOYEE),
    email: MAMAN_EMPLOYEE.email,
    publicKey: forgePublicKey(softwareSigner(key)),
    notBefore: new Date(),
    notAfter: new Date(Date.now() + 86_400_000),
    baseUrl: 'http://127.0.0.1:1',
  });
  const der = (pem: string) => new X509Certificate(pem).raw;
  const fixture = {
    key,
    certificates: [der(issued.pem), der(ca.issuing.pem), der(ca.root.pem)],
    keyFile: path.join(dir, 'p12.key'),
    certFile: path.join(dir, 'p12.crt'),
    chainFile: path.join(dir, 'p12-chain.pem'),
  };
  writeFileSync(fixture.keyFile, key.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(fixture.certFile, issued.pem);
  writeFileSync(fixture.chainFile, ca.chainPem);
  return fixture;
}

/** `openssl pkcs12 -export` arguments for the same algorithms and iterations as our profile. */
export function opensslExportArgs(f: P12Fixture, profile: P12Profile, out: string): string[] {
  const algorithms =
    profile === 'compatible'
      ? ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']
      : ['-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256'];
  return ['pkcs12', '-export', '-inkey', f.keyFile, '-in', f.certFile, '-certfile', f.chainFile, '-name', 'MAMAN', ...algorithms, '-iter', String(P12_ITERATIONS[profile]), '-passout', `pass:${PASSWORD}`, '-out', out];
}

/**
 * .p12 built in-process against OpenSSL's own work for the same file: a cold
 * `openssl pkcs12 -export` minus a cold `openssl version` (its process
 * start-up), both measured in this run, so neither side pays a process start.
 */
export async function p12Rows(f: P12Fixture, dir: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const profile of ['compatible', 'modern'] as const) {
    const ours = () => buildPkcs12({ key: f.key, certificates: f.certificates, password: PASSWORD, friendlyName: 'MAMAN', profile });
    const exportArgs = opensslExportArgs(f, profile, path.join(dir, `openssl-${profile}.p12`));
    const [a, whole] = await interleaved(ours, () => runCold('openssl', exportArgs));
    const starts: number[] = [];
    for (let i = 0; i < ROUNDS; i++) starts.push(await timed(() => runCold('openssl', ['version'])));
    const work = Math.max(0.1, whole - median(starts));
    rows.push({
      name: `.p12 ${profile} (${profile === 'compatible' ? '3DES, SHA-1 MAC, 2,048' : 'PBES2 AES-256, SHA-256 MAC, 100,000'} iterations), in-process`,
      ours: a,
      unit: 'ms',
      anchor: { value: work, what: `openssl pkcs12 -export ${whole.toFixed(1)} ms − its start-up ${median(starts).toFixed(1)} ms` },
      target: { kind: 'ratio', max: 1.5 },
    });
  }
  return rows;
}
