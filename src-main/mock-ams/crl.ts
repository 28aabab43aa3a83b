import forge from 'node-forge';
import { der } from '../services/asn1';
import { SHA256_WITH_RSA } from '../services/forge-util';
import type { Signer } from '../services/signer';
import { certificateParts } from '../services/x509-parts';
import type { RevocationReason } from './ams-core';

const REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
  reason: RevocationReason;
}

const { asn1 } = forge;
const utcTime = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
const serial = (hex: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex));
const extension = (oid: string, value: forge.asn1.Asn1) => der.seq([der.oid(oid), der.octets(der.encode(value))]);

/**
 * An X.509 v2 CRL (RFC 5280 §5) signed by the issuing CA: each revoked serial
 * with its date and reason code, the authority key identifier, a CRL number.
 * node-forge has no CRL writer, so it is encoded here.
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
  const entries = options.revoked.map((r) =>
    der.seq([
      serial(r.serialNumber),
      utcTime(r.revokedAt),
      der.seq([extension('2.5.29.21', asn1.create(asn1.Class.UNIVERSAL, asn1.Type.ENUMERATED, false, String.fromCharCode(REASON_CODES[r.reason])))]),
    ]),
  );
  const tbs = der.seq([
    der.int(1),
    algorithm,
    der.raw(certificateParts(options.issuerCertificate).subject),
    utcTime(options.thisUpdate),
    utcTime(options.nextUpdate),
    ...(entries.length ? [der.seq(entries)] : []),
    der.explicit(
      0,
      der.seq([
        extension('2.5.29.35', der.seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, options.issuerKeyId.toString('binary'))])),
        extension('2.5.29.20', der.int(options.crlNumber)),
      ]),
    ),
  ]);
  const tbsDer = der.encode(tbs);
  const signature = await options.signer.signSha256(tbsDer);
  return der.encode(der.seq([der.raw(tbsDer), algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`)]));
}
