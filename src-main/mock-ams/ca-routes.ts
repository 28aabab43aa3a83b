import { X509Certificate } from 'node:crypto';
import { amsPaths } from '../../src/ams-api/schemas';
import { softwareSigner } from '../services/software-key';
import type { AmsCore, RevocationReason } from './ams-core';
import { buildCrl } from './crl';
import { sendText, type Route } from './http-util';
import { subjectKeyId } from './test-ca';

const CRL_VALIDITY_MS = 86_400_000;

/** The CA's certificates and its CRL, where issued certificates point (AIA, CRL distribution point). */
export function caRoutes(core: AmsCore): Route[] {
  const derOf = (pem: string) => new X509Certificate(pem).raw;
  const sendDer = (res: Parameters<Route['handle']>[1], type: string, body: Buffer) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  };
  return [
    { method: 'GET', path: amsPaths.caChain, handle: async (_req, res) => sendText(res, 200, 'application/x-pem-file', core.ca.chainPem) },
    { method: 'GET', path: amsPaths.caRoot, handle: async (_req, res) => sendDer(res, 'application/pkix-cert', derOf(core.ca.root.pem)) },
    { method: 'GET', path: amsPaths.caIssuing, handle: async (_req, res) => sendDer(res, 'application/pkix-cert', derOf(core.ca.issuing.pem)) },
    {
      method: 'GET',
      path: amsPaths.caCrl,
      handle: async (_req, res) => {
        const now = core.now();
        const revoked = core.store.state.requests.flatMap((r) =>
          r.certificate?.revokedAt
            ? [{ serialNumber: r.certificate.serialNumber, revokedAt: new Date(r.certificate.revokedAt), reason: (r.certificate.revocationReason ?? 'unspecified') as RevocationReason }]
            : [],
        );
        const crl = await buildCrl({
          issuerCertificate: derOf(core.ca.issuing.pem),
          issuerKeyId: subjectKeyId(core.ca.issuing.cert),
          signer: softwareSigner(core.ca.issuing.key),
          revoked,
          thisUpdate: now,
          nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS),
          crlNumber: Math.floor(now.getTime() / 1000),
        });
        sendDer(res, 'application/pkix-crl', crl);
      },
    },
  ];
}
