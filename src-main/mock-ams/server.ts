import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type forge from 'node-forge';
import type { z } from 'zod';
import {
  ADMIN_KEY_HEADER,
  amsPaths,
  csrBodySchema,
  decisionBodySchema,
  faultsBodySchema,
  mockSettingsBodySchema,
  mintTokenBodySchema,
  tokenBodySchema,
  type CertificateResponse,
  type EmployeeResponse,
  type MintTokenResponse,
  type StatusResponse,
} from '../../src/ams-api/schemas';
import { subjectFor, type Employee } from '../../src/domain/employee';
import { checkCsr } from './csr-check';
import { HttpError, readJson, sendError, sendJson, sendText } from './http-util';
import { DEFAULT_PRODUCT } from './seed-users';
import { hashToken, MockStore, type MockRequest, type MockUser } from './store';
import { TestCa } from './test-ca';

export interface MockAmsOptions {
  dataDir: string;
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
  /** Issue a certificate as soon as a valid CSR arrives. */
  autoApprove?: boolean;
  now?: () => Date;
}

/**
 * Faults QA can arm on the LOCK-facing API; each count is consumed one request
 * at a time, so a test can break exactly one call.
 */
export interface MockFaults {
  /** Delay before every LOCK-facing answer. */
  latencyMs: number;
  /** Answer the next N LOCK-facing calls with HTTP 500. */
  serverErrors: number;
  /** Answer the next N LOCK-facing calls with a body that is not JSON. */
  garbage: number;
  /** Store the next N CSR uploads, then drop the connection without answering. */
  dropAfterCsrStored: number;
}

export interface MockAms {
  url: string;
  faults: MockFaults;
  /** Issue as soon as a valid CSR arrives, or wait for the verifier. */
  settings: { autoApprove: boolean };
  adminKey: string;
  store: MockStore;
  ca: TestCa;
  /** Creates a LOCK request for a user and returns its one-time CSR token. */
  mintToken(email: string, product?: string): Promise<MintTokenResponse>;
  /** The verifier's decision on a request whose CSR has arrived; approval issues the certificate. */
  approve(requestId: string, note?: string): Promise<void>;
  reject(requestId: string, note: string): Promise<void>;
  close(): Promise<void>;
}

const TOKEN_TTL_MS = 7 * 86_400_000;
const CERT_VALIDITY_MS = 365 * 86_400_000;

/** Starts the mock AMS: the LOCK-facing API, the CA files and the admin API. */
export async function startMockAms(options: MockAmsOptions): Promise<MockAms> {
  const now = options.now ?? (() => new Date());
  const store = await MockStore.open(options.dataDir);
  const faults: MockFaults = { latencyMs: 0, serverErrors: 0, garbage: 0, dropAfterCsrStored: 0 };
  const settings = { autoApprove: options.autoApprove ?? false };
  const ca = await TestCa.openOrCreate(path.join(options.dataDir, 'ca'), now());
  let baseUrl = '';

  const employeeOf = (user: MockUser): Employee => ({
    name: user.name,
    unit: user.unit,
    organization: user.organization,
    email: user.email,
    locality: user.locality,
    province: user.province,
    country: user.country,
  });

  const statusOf = (request: MockRequest): StatusResponse => ({
    requestId: request.id,
    product: request.product,
    status: request.status,
    ...(request.note === undefined ? {} : { note: request.note }),
    updatedAt: request.updatedAt,
    ...(request.certificate
      ? { certificate: { serialNumber: request.certificate.serialNumber, notAfter: request.certificate.notAfter } }
      : {}),
  });

  function requestFor(token: string): { request: MockRequest; user: MockUser } {
    const request = store.findRequestByToken(token);
    const user = request && store.findUser(request.email);
    if (!request || !user) throw new HttpError(404, 'TOKEN_UNKNOWN', 'unknown token');
    return { request, user };
  }

  async function mintToken(email: string, product = DEFAULT_PRODUCT): Promise<MintTokenResponse> {
    const user = store.findUser(email);
    if (!user) throw new HttpError(404, 'USER_UNKNOWN', `no user ${email}`);
    // Hex, so a token never starts with '-' and reads unambiguously on a command line.
    const token = randomBytes(20).toString('hex').toUpperCase();
    const stamp = now();
    const request: MockRequest = {
      id: randomUUID(),
      email: user.email,
      product,
      tokenHash: hashToken(token),
      tokenExpiresAt: new Date(stamp.getTime() + TOKEN_TTL_MS).toISOString(),
      status: 'awaiting_csr',
      createdAt: stamp.toISOString(),
      updatedAt: stamp.toISOString(),
    };
    store.state.requests.push(request);
    await store.save();
    return { token, requestId: request.id };
  }

  async function issue(request: MockRequest, user: MockUser, publicKey: forge.pki.rsa.PublicKey): Promise<void> {
    const start = now();
    const cert = await ca.issue({
      subject: subjectFor(employeeOf(user)),
      email: user.email,
      publicKey,
      notBefore: new Date(start.getTime() - 5 * 60_000),
      notAfter: new Date(start.getTime() + CERT_VALIDITY_MS),
      baseUrl,
    });
    request.certificate = { pem: cert.pem, serialNumber: cert.serialNumber, notAfter: new Date(start.getTime() + CERT_VALIDITY_MS).toISOString() };
    request.status = 'issued';
    request.note = 'Disetujui';
    request.updatedAt = now().toISOString();
  }

  async function decide(requestId: string, decision: 'approve' | 'reject', note?: string): Promise<void> {
    const request = store.state.requests.find((r) => r.id === requestId);
    const user = request && store.findUser(request.email);
    if (!request || !user) throw new HttpError(404, 'NOT_FOUND', 'no such request');
    if (!request.csrPem || (request.status !== 'csr_uploaded' && request.status !== 'submitted')) {
      throw new HttpError(409, 'BAD_REQUEST', `request is ${request.status}`);
    }
    if (decision === 'reject') {
      request.status = 'rejected';
      request.note = note ?? 'Ditolak';
      request.updatedAt = now().toISOString();
    } else {
      const check = checkCsr(request.csrPem, subjectFor(employeeOf(user)));
      if (!check.ok) throw new HttpError(409, 'CSR_INVALID', check.reason);
      await issue(request, user, check.publicKey);
      if (note) request.note = note;
    }
    await store.save();
  }

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    [`GET ${amsPaths.health}`]: async (_req, res) => sendJson(res, 200, { ok: true }),
    [`GET ${amsPaths.caChain}`]: async (_req, res) => sendText(res, 200, 'application/x-pem-file', ca.chainPem),

    [`POST ${amsPaths.employee}`]: async (req, res) => {
      const { token } = parse(tokenBodySchema, await readJson(req));
      const { request, user } = requestFor(token);
      if (request.status === 'awaiting_csr' && Date.parse(request.tokenExpiresAt) < now().getTime()) {
        throw new HttpError(410, 'TOKEN_EXPIRED', 'token expired');
      }
      const body: EmployeeResponse = { requestId: request.id, product: request.product, status: request.status, employee: employeeOf(user) };
      sendJson(res, 200, body);
    },

    [`POST ${amsPaths.csr}`]: async (req, res) => {
      const { token, csr } = parse(csrBodySchema, await readJson(req));
      const { request, user } = requestFor(token);
      const check = checkCsr(csr, subjectFor(employeeOf(user)));
      if (!check.ok) throw new HttpError(422, 'CSR_INVALID', check.reason);
      // From here to the state change nothing awaits: concurrent uploads are serialized.
      if (request.csrPem !== undefined) {
        const first = checkCsr(request.csrPem, subjectFor(employeeOf(user)));
        if (first.ok && first.der === check.der) return sendJson(res, 200, statusOf(request));
        throw new HttpError(409, 'TOKEN_ALREADY_USED', 'a different CSR was already uploaded for this token');
      }
      if (Date.parse(request.tokenExpiresAt) < now().getTime()) throw new HttpError(410, 'TOKEN_EXPIRED', 'token expired');
      request.csrPem = csr;
      request.status = 'csr_uploaded';
      request.updatedAt = now().toISOString();
      if (settings.autoApprove) await issue(request, user, check.publicKey);
      await store.save();
      if (faults.dropAfterCsrStored > 0) {
        faults.dropAfterCsrStored--;
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, statusOf(request));
    },

    [`POST ${amsPaths.status}`]: async (req, res) => {
      const { token } = parse(tokenBodySchema, await readJson(req));
      sendJson(res, 200, statusOf(requestFor(token).request));
    },

    [`POST ${amsPaths.certificate}`]: async (req, res) => {
      const { token } = parse(tokenBodySchema, await readJson(req));
      const { request } = requestFor(token);
      if (request.status !== 'issued' || !request.certificate) throw new HttpError(409, 'NOT_ISSUED', `status ${request.status}`);
      const chain = ca.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).filter((pem) => pem.trim() !== '');
      const body: CertificateResponse = { requestId: request.id, certificate: request.certificate.pem, chain };
      sendJson(res, 200, body);
    },

    [`POST ${amsPaths.adminTokens}`]: async (req, res) => {
      requireAdmin(req, store.state.adminKey);
      const body = parse(mintTokenBodySchema, await readJson(req));
      sendJson(res, 201, await mintToken(body.email, body.product));
    },

    [`POST ${amsPaths.adminFaults}`]: async (req, res) => {
      requireAdmin(req, store.state.adminKey);
      Object.assign(faults, parse(faultsBodySchema, await readJson(req)));
      sendJson(res, 200, faults);
    },

    [`POST ${amsPaths.adminSettings}`]: async (req, res) => {
      requireAdmin(req, store.state.adminKey);
      Object.assign(settings, parse(mockSettingsBodySchema, await readJson(req)));
      sendJson(res, 200, settings);
    },

    [`POST ${amsPaths.adminDecisions}`]: async (req, res) => {
      requireAdmin(req, store.state.adminKey);
      const body = parse(decisionBodySchema, await readJson(req));
      await decide(body.requestId, body.decision, body.note);
      sendJson(res, 200, statusOf(store.state.requests.find((r) => r.id === body.requestId)!));
    },

    [`GET ${amsPaths.adminUsers}`]: async (req, res) => {
      requireAdmin(req, store.state.adminKey);
      sendJson(res, 200, { users: store.state.users });
    },
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) return sendError(res, new HttpError(404, 'NOT_FOUND', 'no such endpoint'));
    const lockFacing = url.pathname.startsWith('/api/lock/');
    const faulted = lockFacing ? injectFault(faults, res) : Promise.resolve(false);
    faulted
      .then((done) => (done ? undefined : handler(req, res)))
      .catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      console.error('mock AMS: internal error', error);
      sendError(res, new HttpError(500, 'INTERNAL', 'internal error'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    adminKey: store.state.adminKey,
    faults,
    settings,
    store,
    ca,
    mintToken,
    approve: (requestId, note) => decide(requestId, 'approve', note),
    reject: (requestId, note) => decide(requestId, 'reject', note),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

function requireAdmin(req: IncomingMessage, adminKey: string): void {
  const given = Buffer.from(String(req.headers[ADMIN_KEY_HEADER] ?? ''));
  const wanted = Buffer.from(adminKey);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new HttpError(401, 'ADMIN_KEY_INVALID', 'admin key missing or wrong');
  }
}

/** Applies armed faults; true when the fault already answered the request. */
async function injectFault(faults: MockFaults, res: ServerResponse): Promise<boolean> {
  if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
  if (faults.serverErrors > 0) {
    faults.serverErrors--;
    sendError(res, new HttpError(500, 'INTERNAL', 'injected fault'));
    return true;
  }
  if (faults.garbage > 0) {
    faults.garbage--;
    sendText(res, 200, 'text/html', '<html>maintenance</html>');
    return true;
  }
  return false;
}
