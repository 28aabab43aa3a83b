import forge from 'node-forge';
import { subjectFor, type Employee } from '../../src/domain/employee';
import type { Signer } from './signer';
import { derBytes, forgePublicKey, forgeSubject, getCertificationRequestInfo, lf, SHA256_WITH_RSA } from './forge-util';

/** The DER Name the employee's certificate will carry (the CSR's subject): a token key's CKA_SUBJECT. */
export function subjectDer(employee: Employee): Buffer {
  const holder = forge.pki.createCertificationRequest();
  holder.setSubject(forgeSubject(subjectFor(employee)));
  const pki = forge.pki as unknown as { distinguishedNameToAsn1(dn: typeof holder.subject): forge.asn1.Asn1 };
  return derBytes(pki.distinguishedNameToAsn1(holder.subject));
}

/**
 * Builds a PKCS#10 request for the employee and has `signer` sign it, so a
 * software key and a token key follow the same path. The subject comes from
 * AMS's employee data; the e-mail is also requested as subjectAltName.
 */
export async function buildCsr(employee: Employee, signer: Signer): Promise<string> {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forgePublicKey(signer);
  csr.setSubject(forgeSubject(subjectFor(employee)));
  csr.setAttributes([
    {
      name: 'extensionRequest',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 1, value: employee.email }] }],
    },
  ]);
  csr.signatureOid = SHA256_WITH_RSA;
  const info = getCertificationRequestInfo(csr);
  const signature = await signer.signSha256(derBytes(info));
  Object.assign(csr, { certificationRequestInfo: info, signature: signature.toString('binary') });
  return lf(forge.pki.certificationRequestToPem(csr));
}
