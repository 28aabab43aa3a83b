import { der } from '../services/asn1';
import { SHA256_WITH_RSA } from '../services/forge-util';
import type { Signer } from '../services/signer';
import { certificateParts } from '../services/x509-parts';
import { normalizeSerial } from '../../src/domain/serial';
import type { RevocationReason } from './ams-core';

const REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

/** The CRLReason code (RFC 5280 §5.3.1) of a reason; 0 is unspecified. */
export const reasonCode = (reason: string): number => REASON_CODES[reason as RevocationReason] ?? 0;

export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
  reason: RevocationReason;
}

const serial = (hex: string) => der.unsigned(Buffer.from(normalizeSerial(hex), 'hex'));
const extension = (oid: string, value: Buffer) => der.seq([der.oid(oid), der.octets(value)]);

/**
 * An X.509 v2 CRL (RFC 5280 §5) signed by a CA (the issuing CA, or the root for
 * its CRL of CA certificates): each revoked serial with its date and, unless it
 * is unspecified (§5.3.1: then leave it out), its reason code; the authority
 * key identifier and a CRL number. node-forge has no CRL writer, so it is
 * encoded here.
 */
export async function buildCrl(options: {
  issuerCertificate: Buffer;
  issuerKeyId: Buffer;
  signer: Signer;
  revoked: RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
}): Promise<Buffer> {
  const algorithm = der.seq([der.oid(SHA256_WITH_RSA), der.nul()]);
  const entries = options.revoked.map((r) => {
    const code = reasonCode(r.reason);
    const reason = code === 0 ? [] : [der.seq([extension('2.5.29.21', der.enumerated(code))])];
    return der.seq([serial(r.serialNumber), der.time(r.revokedAt), ...reason]);
  });
  const tbs = der.seq([
    der.int(1),
    algorithm,
    certificateParts(options.issuerCertificate).subject,
    der.time(options.thisUpdate),
    der.time(options.nextUpdate),
    ...(entries.length ? [der.seq(entries)] : []),
    der.explicit(
      0,
      der.seq([
        extension('2.5.29.35', der.seq([der.implicit(0, options.issuerKeyId)])),
        extension('2.5.29.20', der.int(options.crlNumber)),
      ]),
    ),
  ]);
  const signature = await options.signer.signSha256(tbs);
  return der.seq([tbs, algorithm, der.bits(signature)]);
}
