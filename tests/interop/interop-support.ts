import { X509Certificate, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_KEY_HEADER, amsPaths } from '../../src/ams-api/schemas';
import type { MockAms } from '../../src-main/mock-ams/server';
import { AmsClient } from '../../src-main/services/ams-client';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { hasTool } from '../support/tools';

export const MAMAN = 'maman@instansi.go.id';

/**
 * Whether a consumer's tool is installed. `.ci/run` installs every one of them;
 * where one is missing (a developer machine) its tests are skipped, and said so
 * loudly, never silently.
 */
export function tool(command: string, apt: string): boolean {
  const present = hasTool(command);
  if (!present) console.warn(`\n*** INTEROP SKIPPED: \`${command}\` is not installed (apt-get install ${apt}); its consumer checks did not run. ***\n`);
  return present;
}

/** An issued certificate for a fresh software key, through the mock's LOCK API (the mock must auto-approve). */
export async function issueForSoftwareKey(mock: MockAms, email = MAMAN): Promise<{ key: KeyObject; pem: string; serial: string; token: string }> {
  const { token } = await mock.mintToken(email);
  const client = new AmsClient(mock.url);
  const { employee } = await client.employee(token);
  const key = await generateSoftwareKey();
  await client.uploadCsr(token, await buildCsr(employee, softwareSigner(key)));
  const issued = await client.certificate(token);
  return { key, pem: issued.certificate, serial: new X509Certificate(issued.certificate).serialNumber, token };
}

export async function adminPost(mock: MockAms, p: string, body: unknown): Promise<Response> {
  return fetch(`${mock.url}${p}`, { method: 'POST', headers: { [ADMIN_KEY_HEADER]: mock.adminKey }, body: JSON.stringify(body) });
}

export async function revoke(mock: MockAms, serialNumber: string, reason = 'keyCompromise'): Promise<void> {
  const response = await adminPost(mock, amsPaths.adminRevoke, { serialNumber, reason });
  if (response.status !== 200) throw new Error(`revoke: ${response.status} ${await response.text()}`);
}

/** root.pem, issuing.pem and chain.pem (issuing then root) from the mock's own URLs, in `dir`. */
export async function writeCaFiles(mock: MockAms, dir: string): Promise<{ root: string; issuing: string; chain: string }> {
  const files = { root: path.join(dir, 'root.pem'), issuing: path.join(dir, 'issuing.pem'), chain: path.join(dir, 'chain.pem') };
  const pem = async (p: string) => new X509Certificate(Buffer.from(await (await fetch(`${mock.url}${p}`)).arrayBuffer())).toString();
  await writeFile(files.root, await pem(amsPaths.caRoot));
  await writeFile(files.issuing, await pem(amsPaths.caIssuing));
  await writeFile(files.chain, await (await fetch(`${mock.url}${amsPaths.caChain}`)).text());
  return files;
}

/** The URIs a certificate names for a purpose, as openssl prints them (CRL distribution points, OCSP, CA Issuers). */
export function urisIn(opensslText: string, section: 'crl' | 'ocsp' | 'caIssuers'): string[] {
  if (section === 'crl') {
    const block = /X509v3 CRL Distribution Points:([\s\S]*?)(?:\n\s{12}X509v3|\n\s{12}Authority|\n\s{4}Signature)/.exec(opensslText)?.[1] ?? '';
    return [...block.matchAll(/URI:(\S+)/g)].map((m) => m[1]!);
  }
  const label = section === 'ocsp' ? 'OCSP - URI:' : 'CA Issuers - URI:';
  return [...opensslText.matchAll(new RegExp(`${label}(\\S+)`, 'g'))].map((m) => m[1]!);
}

/** A CRL fetched from its URL, stored as PEM for openssl's -CRLfile. */
export async function fetchCrlPem(url: string, file: string): Promise<string> {
  const der = Buffer.from(await (await fetch(url)).arrayBuffer());
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  await writeFile(file, `-----BEGIN X509 CRL-----\n${b64}-----END X509 CRL-----\n`);
  return file;
}

/** A one-page PDF with a correct cross-reference table, for pdfsig to sign. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 24 Tf 72 720 Td (LOCK Desktop interop) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** An NSS database trusting only the mock's root, for validating what others signed. */
export async function rootOnlyNssDb(dir: string, rootPem: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  const { run } = await import('../support/tools');
  await mkdir(dir, { recursive: true });
  const db = `sql:${dir}`;
  await run('certutil', ['-N', '-d', db, '--empty-password']);
  const added = await run('certutil', ['-A', '-d', db, '-n', 'Mock Root', '-t', 'C,C,C', '-i', rootPem]);
  if (added.code !== 0) throw new Error(`certutil -A: ${added.stderr}`);
  return db;
}
