import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';

/**
 * Real TLS servers on loopback, each with one thing wrong, and the code the
 * user gets: a certificate problem is told as such (never "check the
 * connection"), a clock problem as the clock, and none of them is retried.
 */
const DAY = 86_400_000;
type Cert = { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; pem: string; keyPem: string };

function rsaKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { key, keyPem, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function certificate(cn: string, options: { issuer?: Cert; ca?: boolean; keyCertSign?: boolean; from?: number; to?: number; san?: object[] }): Cert {
  const { key, keyPem, publicKey } = rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `0${Math.floor(Math.random() * 1e9).toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() + (options.from ?? -DAY));
  cert.validity.notAfter = new Date(Date.now() + (options.to ?? DAY));
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer((options.issuer?.cert ?? cert).subject.attributes);
  cert.setExtensions(
    options.ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: options.keyCertSign ?? true, cRLSign: true, digitalSignature: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: options.san ?? [{ type: 7, ip: '127.0.0.1' }] },
        ],
  );
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create());
  return { cert, key, pem: forge.pki.certificateToPem(cert), keyPem };
}

const servers: https.Server[] = [];
async function serve(leaf: Cert, chain: Cert[] = [], tls: https.ServerOptions = {}) {
  let connections = 0;
  const server = https.createServer({ key: leaf.keyPem, cert: [leaf.pem, ...chain.map((c) => c.pem)].join(''), ...tls }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('secureConnection', (socket: TLSSocket) => socket.on('error', () => {}));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

let ca: Cert;
beforeAll(() => {
  ca = certificate('LOCK Test TLS CA', { ca: true });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A look-up through a client that trusts `ca` and would retry twice. */
async function lookup(server: { url: string; connections: () => number }, trusted: Cert[] = [ca]) {
  const client = new AmsClient(server.url, { network: { extraCa: trusted.map((c) => c.pem) }, retries: 2, retryDelayMs: 10, timeoutMs: 3_000, budgetMs: 6_000 });
  const error = await client.status('0'.repeat(40)).then(
    () => undefined,
    (e: unknown) => e as { code: string; detail?: string },
  );
  return { code: error?.code, detail: error?.detail, connections: server.connections() };
}

describe('the AMS client names what is wrong with the server certificate', () => {
  it('a certificate from the trusted CA, for this address, in its dates: answered (the control)', async () => {
    const server = await serve(certificate('127.0.0.1', { issuer: ca }));
    expect(await lookup(server)).toMatchObject({ code: 'SERVER_BAD_RESPONSE' });
  });

  it.each([
    ['expired yesterday', { from: -3 * DAY, to: -DAY }, 'CERT_HAS_EXPIRED'],
    ['valid only from tomorrow', { from: DAY, to: 3 * DAY }, 'CERT_NOT_YET_VALID'],
  ])('%s: SERVER_CERT_TIME (the clock), one connection', async (_name, dates, detail) => {
    const server = await serve(certificate('127.0.0.1', { issuer: ca, ...dates }));
    expect(await lookup(server)).toEqual({ code: 'SERVER_CERT_TIME', detail, connections: 1 });
  });

  it('self-signed: SERVER_UNTRUSTED, one connection', async () => {
    const server = await serve(certificate('127.0.0.1', {}));
    expect(await lookup(server)).toEqual({ code: 'SERVER_UNTRUSTED', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT', connections: 1 });
  });

  it('from a CA this computer does not trust: SERVER_UNTRUSTED, one connection', async () => {
    const other = certificate('Some Inspecting Proxy CA', { ca: true });
    const server = await serve(certificate('127.0.0.1', { issuer: other }));
    expect(await lookup(server)).toEqual({ code: 'SERVER_UNTRUSTED', detail: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', connections: 1 });
  });

  it('for another host name: SERVER_UNTRUSTED with Node’s host check, one connection', async () => {
    const server = await serve(certificate('ams.example.go.id', { issuer: ca, san: [{ type: 2, value: 'ams.example.go.id' }] }));
    expect(await lookup(server)).toEqual({ code: 'SERVER_UNTRUSTED', detail: 'ERR_TLS_CERT_ALTNAME_INVALID', connections: 1 });
  });

  it('issued by a "CA" that may not sign certificates (a verify error Node has no name for): SERVER_UNTRUSTED', async () => {
    const notSigner = certificate('Not A Signing CA', { ca: true, keyCertSign: false });
    const server = await serve(certificate('127.0.0.1', { issuer: notSigner }));
    expect(await lookup(server, [notSigner])).toEqual({ code: 'SERVER_UNTRUSTED', detail: 'UNSPECIFIED', connections: 1 });
  });

  it('a server that wants a client certificate we do not have: not a trust problem of ours (SERVER_UNREACHABLE)', async () => {
    const server = await serve(certificate('127.0.0.1', { issuer: ca }), [], { requestCert: true, rejectUnauthorized: true, ca: [ca.pem] });
    const result = await lookup(server);
    expect(result.code).toBe('SERVER_UNREACHABLE');
    expect(result.detail).toMatch(/^ERR_SSL_.*ALERT|^ECONNRESET$|^EPIPE$/);
  });
});
