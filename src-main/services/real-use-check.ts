import { createHash, verify, X509Certificate } from 'node:crypto';
import forge, { type Asn1 } from './forge-asn1';
import { AppError } from '../../src/contract/errors';
import { der } from './asn1';
import { certificateParts } from './x509-parts';

/** What the real-use self-test found, beside the sign/verify with the new key. */
export interface RealUse {
  /** `verified`: leaf → issuing CA → self-signed root, each signature and validity checked. `missing`: AMS sent no chain. */
  chain: 'verified' | 'missing';
  /** The certificate's own revocation service: `good`, `unknown` to it, or `unavailable` (offline, no URL). */
  revocation: 'good' | 'unknown' | 'unavailable';
  via?: 'ocsp' | 'crl';
}

const { asn1 } = forge;
type Node = Asn1;
const parse = (bytes: Buffer): Node => asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), { decodeBitStrings: false } as never);
const items = (node: Node | undefined): Node[] => (Array.isArray(node?.value) ? node.value : []);
const bytesOf = (node: Node | undefined) => Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');
const encode = (node: Node) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
};
const TIMEOUT_MS = 8000;

/**
 * Before anything is written: the certificate chains to a self-signed root
 * through the chain AMS sent, and the certificate's own OCSP responder (or its
 * CRL when there is no responder or it does not answer) does not say revoked.
 */
export async function realUseCheck(cert: X509Certificate, chain: X509Certificate[], now: Date, fetchImpl: typeof fetch = fetch): Promise<RealUse> {
  if (chain.length === 0) return { chain: 'missing', revocation: 'unavailable' };
  verifyChain([cert, ...chain], now);
  const issuer = chain[0]!;
  const ocspUrl = /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? '')?.[1];
  if (ocspUrl) {
    const status = await askOcsp(cert, issuer, ocspUrl, now, fetchImpl).catch(() => undefined);
    if (status) return verdict(status, 'ocsp');
  }
  for (const url of crlUrls(cert)) {
    const status = await checkCrl(cert, issuer, url, now, fetchImpl).catch(() => undefined);
    if (status) return verdict(status, 'crl');
  }
  return { chain: 'verified', revocation: 'unavailable' };
}

function verdict(status: 'good' | 'revoked' | 'unknown', via: 'ocsp' | 'crl'): RealUse {
  if (status === 'revoked') throw new AppError('CERT_REVOKED', { detail: via });
  return { chain: 'verified', revocation: status, via };
}

function verifyChain(path: X509Certificate[], now: Date): void {
  const fail = (detail: string) => new AppError('CERT_CHAIN_INVALID', { detail });
  path.forEach((cert, i) => {
    const issuer = path[i + 1] ?? cert;
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) throw fail(`${cert.subject.replace(/\n/g, ', ')} is not signed by the next certificate`);
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) throw fail(`${cert.subject.replace(/\n/g, ', ')} is not valid now`);
  });
}

async function askOcsp(cert: X509Certificate, issuer: X509Certificate, url: string, now: Date, fetchImpl: typeof fetch): Promise<'good' | 'revoked' | 'unknown' | undefined> {
  const serial = certificateParts(cert.raw).serialNumber;
  const sha1 = (b: Buffer) => createHash('sha1').update(b).digest();
  const certId = der.seq([der.seq([der.oid('1.3.14.3.2.26'), der.nul()]), der.octets(sha1(certificateParts(issuer.raw).subject)), der.octets(sha1(keyBits(issuer))), serial]);
  const request = der.seq([der.seq([der.seq([der.seq([certId])])])]);
  const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(request), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) return undefined;
  const [status, bytes] = items(parse(Buffer.from(await response.arrayBuffer())));
  if (!status || bytesOf(status)[0] !== 0) return undefined;
  const basic = parse(bytesOf(items(items(bytes)[0])[1]));
  const [tbs, algorithm, signature, certs] = items(basic);
  const signers = [issuer, ...items(items(certs)[0]).flatMap((c) => delegated(encode(c), issuer))];
  const hash = SIGNATURE_HASHES[asn1.derToOid(items(algorithm)[0]!.value as string)];
  const signed = encode(tbs!);
  if (!hash || !signers.some((s) => verify(hash, signed, s.publicKey, bytesOf(signature).subarray(1)))) return undefined;
  const responses = items(tbs).find((n) => n.tagClass === asn1.Class.UNIVERSAL && n.type === asn1.Type.SEQUENCE);
  for (const single of items(responses)) {
    const [id, certStatus, , next] = items(single);
    if (!encode(items(id)[3]!).equals(serial)) continue;
    const nextUpdate = next?.type === 0 && next.tagClass === asn1.Class.CONTEXT_SPECIFIC ? asn1.generalizedTimeToDate(items(next)[0]!.value as string) : undefined;
    if (nextUpdate && nextUpdate < now) return undefined;
    const statuses: ('good' | 'revoked' | 'unknown')[] = ['good', 'revoked', 'unknown'];
    return certStatus?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? statuses[certStatus.type] : undefined;
  }
  return undefined;
}

/** A responder certificate the CA issued for signing OCSP answers (RFC 6960 §4.2.2.2). */
function delegated(bytes: Buffer, issuer: X509Certificate): X509Certificate[] {
  try {
    const cert = new X509Certificate(bytes);
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey) && (cert.keyUsage ?? []).includes('1.3.6.1.5.5.7.3.9') ? [cert] : [];
  } catch {
    return [];
  }
}

async function checkCrl(cert: X509Certificate, issuer: X509Certificate, url: string, now: Date, fetchImpl: typeof fetch): Promise<'good' | 'revoked' | undefined> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) return undefined;
  const [tbs, algorithm, signature] = items(parse(Buffer.from(await response.arrayBuffer())));
  const hash = SIGNATURE_HASHES[asn1.derToOid(items(algorithm)[0]!.value as string)];
  if (!hash || !verify(hash, encode(tbs!), issuer.publicKey, bytesOf(signature).subarray(1))) return undefined;
  const fields = items(tbs);
  const start = fields[0]?.type === asn1.Type.INTEGER ? 1 : 0;
  const times = fields.slice(start + 3).filter((n) => n.type === asn1.Type.UTCTIME || n.type === asn1.Type.GENERALIZEDTIME);
  const nextUpdate = times[0] && (times[0].type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(times[0].value as string) : asn1.generalizedTimeToDate(times[0].value as string));
  if (nextUpdate && nextUpdate < now) return undefined;
  const revokedList = fields.slice(start + 3).find((n) => n.tagClass === asn1.Class.UNIVERSAL && n.type === asn1.Type.SEQUENCE);
  const serial = certificateParts(cert.raw).serialNumber;
  return items(revokedList).some((entry) => encode(items(entry)[0]!).equals(serial)) ? 'revoked' : 'good';
}

/** The http(s) URIs of the certificate's CRL distribution points. */
function crlUrls(cert: X509Certificate): string[] {
  const tbs = items(items(parse(cert.raw))[0]);
  const extensions = items(items(tbs.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3))[0]);
  const crlDp = extensions.find((e) => asn1.derToOid(items(e)[0]!.value as string) === '2.5.29.31');
  if (!crlDp) return [];
  const uris: string[] = [];
  const walk = (node: Node) => {
    if (node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === 6 && !node.constructed) uris.push(bytesOf(node).toString('latin1'));
    items(node).forEach(walk);
  };
  walk(parse(bytesOf(items(crlDp).at(-1))));
  return uris.filter((uri) => /^https?:\/\//.test(uri));
}

function keyBits(cert: X509Certificate): Buffer {
  return bytesOf(items(parse(cert.publicKey.export({ type: 'spki', format: 'der' })))[1]).subarray(1);
}
