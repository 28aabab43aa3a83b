import type Forge from 'node-forge';
import 'node-forge/lib/asn1';
import 'node-forge/lib/pem';
import forgeBase from 'node-forge/lib/forge';

/**
 * node-forge's ASN.1 (with its OIDs), PEM and byte buffers, without the rest
 * of forge: ciphers, TLS and certificate building cost ~50 ms of every process
 * start that loads them. Code that only reads and writes DER imports forge
 * from here; CSR and certificate building (csr-builder, the mock CA) use the
 * whole library.
 */
const forge: Pick<typeof Forge, 'asn1' | 'pem' | 'util'> = forgeBase;
export default forge;

export type Asn1 = Forge.asn1.Asn1;
