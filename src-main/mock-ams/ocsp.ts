import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { normalizeSerial } from '../../src/domain/serial';
import { der } from '../services/asn1';
import { SHA256_WITH_RSA } from '../services/forge-util';
import { softwareSigner } from '../services/software-key';
import { certificateParts } from '../services/x509-parts';
import type { OcspCache } from './ocsp-cache';

/** What the CA knows of one serial it may have issued. */
export type OcspStatus = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reasonCode: number } | { status: 'unknown' };

export interface OcspResponder {
  /** The CA the responder answers for; it signs the responses itself (RFC 6960 §4.2.2.2, no delegated responder). */
  issuer: { pem: string; key: KeyObject };
  lookup(serialHex: string): OcspStatus;
  now: Date;
  /** How long an answer may be relied on (nextUpdate). */
  validityMs: number;
  /** Answers made before, synced to the current revoked set by the caller. */
  cache?: OcspCache;
}

const { asn1 } = forge;
type Node = forge.asn1.Asn1;

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const BASIC_RESPONSE_OID = '1.3.6.1.5.5.7.48.1.1';
const NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const STATUS = { successful: 0, malformedRequest: 1, internalError: 2, unauthorized: 6 } as const;

const encode = (node: Node) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const bytesOf = (node: Node) => Buffer.from(node.value as string, 'binary');
const children = (node: Node) => (Array.isArray(node.value) ? node.value : []);

/** An OCSPResponse without responseBytes: the request was refused as a whole. */
export const ocspRefusal = (status: keyof typeof STATUS): Buffer => der.seq([der.enumerated(STATUS[status])]);

interface SingleRequest {
  certId: Buffer;
  hash: string;
  nameHash: Buffer;
  keyHash: Buffer;
  serial: string;
}

/**
 * An OCSP responder (RFC 6960) for one CA: each CertID of the request answered
 * good, revoked (with time and reason) or unknown, the nonce echoed, the
 * BasicOCSPResponse signed by the CA (its certificate included for the
 * validator), responder named by key hash.
 */
export async function answerOcsp(request: Buffer, responder: OcspResponder): Promise<Buffer> {
  let singles: SingleRequest[];
  let nonce: Buffer | undefined;
  try {
    ({ singles, nonce } = parseRequest(request));
  } catch {
    return ocspRefusal('malformedRequest');
  }
  if (singles.length === 0) return ocspRefusal('malformedRequest');
  const issuer = new X509Certificate(responder.issuer.pem);
  const issuerName = certificateParts(issuer.raw).subject;
  const issuerKey = publicKeyBits(issuer);
  const ours = (s: SingleRequest) =>
    createHash(s.hash).update(issuerName).digest().equals(s.nameHash) && createHash(s.hash).update(issuerKey).digest().equals(s.keyHash);
  if (!singles.some(ours)) return ocspRefusal('unauthorized');

  // The same CertIDs within the hour: the answer made then (without a nonce: the very same bytes).
  const key = singles.map((s) => `${s.hash}/${s.nameHash.toString('hex')}/${s.keyHash.toString('hex')}/${s.serial}/${ours(s)}`).join(',');
  const kept = responder.cache?.get(key, responder.now);
  if (kept?.der && !nonce) return kept.der;
  const statusTime = kept?.producedAt ?? responder.now;
  const known: OcspStatus[] = singles.map((single) => (ours(single) ? responder.lookup(single.serial) : { status: 'unknown' }));
  const responses = singles.map((single, i) =>
    der.seq([single.certId, certStatus(known[i]!), der.generalizedTime(statusTime), der.explicit(0, der.generalizedTime(new Date(statusTime.getTime() + responder.validityMs)))]),
  );
  const tbs = der.seq([
    der.explicit(2, der.octets(createHash('sha1').update(issuerKey).digest())),
    // Signed now when a nonce must be echoed; otherwise the pre-produced answer's time.
    der.generalizedTime(nonce ? responder.now : statusTime),
    der.seq(responses),
    ...(nonce ? [der.explicit(1, der.seq([nonce]))] : []),
  ]);
  const signature = await softwareSigner(responder.issuer.key).signSha256(tbs);
  const basic = der.seq([
    tbs,
    der.seq([der.oid(SHA256_WITH_RSA), der.nul()]),
    der.bits(signature),
    der.explicit(0, der.seq([issuer.raw])),
  ]);
  const response = der.seq([der.enumerated(STATUS.successful), der.explicit(0, der.seq([der.oid(BASIC_RESPONSE_OID), der.octets(basic)]))]);
  if (known.every((k) => k.status !== 'unknown')) responder.cache?.put(key, statusTime, nonce ? undefined : response);
  return response;
}

function certStatus(known: OcspStatus): Buffer {
  if (known.status === 'good') return der.implicit(0, Buffer.alloc(0));
  if (known.status === 'unknown') return der.implicit(2, Buffer.alloc(0));
  const reason = known.reasonCode === 0 ? [] : [der.explicit(0, der.enumerated(known.reasonCode))];
  return der.implicit(1, Buffer.concat([der.generalizedTime(known.revokedAt), ...reason]), true);
}

/** OCSPRequest → its CertIDs and its nonce extension (if any). Throws on anything malformed. */
function parseRequest(bytes: Buffer): { singles: SingleRequest[]; nonce: Buffer | undefined } {
  const root = asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), { strict: true, parseAllBytes: true, decodeBitStrings: false } as never);
  const tbsRequest = children(root)[0];
  if (!tbsRequest) throw new Error('no tbsRequest');
  let requestList: Node | undefined;
  let nonce: Node | undefined;
  for (const item of children(tbsRequest)) {
    if (item.tagClass === asn1.Class.UNIVERSAL && item.type === asn1.Type.SEQUENCE) requestList = item;
    if (item.tagClass === asn1.Class.CONTEXT_SPECIFIC && item.type === 2) {
      nonce = children(children(item)[0]!).find((ext) => asn1.derToOid(children(ext)[0]!.value as string) === NONCE_OID);
    }
  }
  if (!requestList) throw new Error('no requestList');
  const singles = children(requestList).map((req) => {
    const certId = children(req)[0]!;
    const [algorithm, nameHash, keyHash, serial] = children(certId);
    const hash = HASHES[asn1.derToOid(children(algorithm!)[0]!.value as string)];
    if (!hash || !nameHash || !keyHash || !serial || serial.type !== asn1.Type.INTEGER) throw new Error('bad CertID');
    return { certId: encode(certId), hash, nameHash: bytesOf(nameHash), keyHash: bytesOf(keyHash), serial: normalizeSerial(bytesOf(serial).toString('hex')) };
  });
  return { singles, nonce: nonce && encode(nonce) };
}

/** The subjectPublicKey BIT STRING's bytes (without the unused-bits octet): what issuerKeyHash hashes. */
function publicKeyBits(cert: X509Certificate): Buffer {
  const spkiDer = cert.publicKey.export({ type: 'spki', format: 'der' });
  const spki = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary')), { decodeBitStrings: false } as never);
  return bytesOf(children(spki)[1]!).subarray(1);
}
