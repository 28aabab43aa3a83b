import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { amsPaths } from '../../src/ams-api/schemas';
import type { AmsCore, RevocationReason } from './ams-core';
import { reasonCode, type RevokedEntry } from './crl';
import { CRL_REISSUE_MS, CRL_VALIDITY_MS, revokedFingerprint, type CrlPublisher } from './crl-publisher';
import { sendText, type Route } from './http-util';
import { answerOcsp, ocspRefusal, type OcspStatus } from './ocsp';
import { OcspCache } from './ocsp-cache';

const MAX_OCSP_REQUEST = 16 * 1024;

const CPS_TEXT = `Mock BSrE Certification Practice Statement (TESTING ONLY)

Certificates under policy 2.999.12.1 are issued by the mock AMS built into
LOCK Desktop, for demonstrations and tests. They identify nobody: the
employee data is made up and nothing about the holder was verified. Rely on
them for nothing but testing. Revocation: the CRLs at /ca/issuing.crl and
/ca/root.crl (reissued every hour) and the OCSP responder at /ca/ocsp.
`;

/**
 * The CA's public face, where issued certificates point: the CA certificates
 * (AIA caIssuers), the CRLs (CRL distribution points), the OCSP responder
 * (AIA OCSP) and the CPS (certificatePolicies).
 */
export function caRoutes(core: AmsCore, crls: CrlPublisher): Route[] {
  const derOf = (pem: string) => new X509Certificate(pem).raw;
  const sendDer = (res: ServerResponse, type: string, body: Buffer, maxAgeSeconds = 0) => {
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'no-store',
    });
    res.end(body);
  };
  const crlRoute = (path: string, issuer: 'root' | 'issuing'): Route => ({
    method: 'GET',
    path,
    handle: async (_req, res) => {
      const crl = await crls.current(issuer, issuer === 'root' ? [] : revokedEntries(core), core.now());
      sendDer(res, 'application/pkix-crl', crl.der);
    },
  });
  // Answers are made once an hour per certificate (or at once when a revocation changes the set), valid for a day like the CRLs.
  const answers = new OcspCache(CRL_REISSUE_MS);
  const ocsp = async (res: ServerResponse, request: Buffer | undefined) => {
    if (request) answers.sync(revokedFingerprint(revokedEntries(core)));
    const answer = request
      ? await answerOcsp(request, { issuer: core.ca.issuing, lookup: (serial) => ocspStatus(core, serial), now: core.now(), validityMs: CRL_VALIDITY_MS, cache: answers })
      : ocspRefusal('malformedRequest');
    sendDer(res, 'application/ocsp-response', answer);
  };
  return [
    { method: 'GET', path: amsPaths.caChain, handle: async (_req, res) => sendText(res, 200, 'application/x-pem-file', core.ca.chainPem) },
    { method: 'GET', path: amsPaths.caRoot, handle: async (_req, res) => sendDer(res, 'application/pkix-cert', derOf(core.ca.root.pem)) },
    { method: 'GET', path: amsPaths.caIssuing, handle: async (_req, res) => sendDer(res, 'application/pkix-cert', derOf(core.ca.issuing.pem)) },
    crlRoute(amsPaths.caCrl, 'issuing'),
    crlRoute(amsPaths.caRootCrl, 'root'),
    { method: 'GET', path: amsPaths.caCps, handle: async (_req, res) => sendText(res, 200, 'text/plain; charset=utf-8', CPS_TEXT) },
    { method: 'POST', path: amsPaths.caOcsp, handle: async (req, res) => ocsp(res, await readOcspBody(req)) },
    {
      method: 'GET',
      // RFC 6960 appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}.
      path: /^\/ca\/ocsp\/(.+)$/,
      template: `${amsPaths.caOcsp}/{request}`,
      handle: async (_req, res, params) => ocsp(res, fromBase64(params[0] ?? '')),
    },
  ];
}

/** Every revoked certificate of the issuing CA, for its CRL. */
function revokedEntries(core: AmsCore): RevokedEntry[] {
  return core.store.revokedRequests().flatMap((r) =>
    r.certificate?.revokedAt
      ? [{ serialNumber: r.certificate.serialNumber, revokedAt: new Date(r.certificate.revokedAt), reason: (r.certificate.revocationReason ?? 'unspecified') as RevocationReason }]
      : [],
  );
}

function ocspStatus(core: AmsCore, serial: string): OcspStatus {
  const found = core.findCertificate(serial);
  if (!found) return { status: 'unknown' };
  const { revokedAt, revocationReason } = found.certificate;
  return revokedAt ? { status: 'revoked', revokedAt: new Date(revokedAt), reasonCode: reasonCode(revocationReason ?? 'unspecified') } : { status: 'good' };
}

async function readOcspBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_OCSP_REQUEST) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function fromBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.length <= MAX_OCSP_REQUEST ? bytes : undefined;
}
