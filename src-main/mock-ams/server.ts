import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { MintTokenResponse } from '../../src/ams-api/schemas';
import { AppError } from '../../src/contract/errors';
import { systemCode, writeFailure } from '../services/atomic-file';
import { adminRoutes } from './admin-routes';
import { AmsCore, type AmsSettings } from './ams-core';
import { caRoutes } from './ca-routes';
import { CrlPublisher } from './crl-publisher';
import { HttpError, matchRoute, sendError, sendJson, type Route } from './http-util';
import { answerFailure, installProcessGuard, requestScope, requestUrl } from './request-guard';
import { injectFault, lockRoutes, noFaults, type MockFaults } from './lock-routes';
import { isPortalPath, portalNotFound } from './portal/not-found';
import { portalRoutes } from './portal/portal-routes';
import { MockStore } from './store';
import { TestCa } from './test-ca';

export type { MockFaults } from './lock-routes';

export interface MockAmsOptions {
  dataDir: string;
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
  /** Issue a certificate as soon as a valid CSR arrives. */
  autoApprove?: boolean;
  now?: () => Date;
  /** Damaged state that was set aside at start; the default prints it on stderr. */
  onProblem?: (problem: AppError) => void;
}

export interface MockAms {
  url: string;
  faults: MockFaults;
  settings: AmsSettings;
  adminKey: string;
  store: MockStore;
  ca: TestCa;
  core: AmsCore;
  /** Creates a LOCK request for a user and returns its one-time CSR token. */
  mintToken(email: string, product?: string): Promise<MintTokenResponse>;
  /** The verifier's decision on a request whose CSR has arrived; approval issues the certificate. */
  approve(requestId: string, note?: string): Promise<void>;
  reject(requestId: string, note: string): Promise<void>;
  /** Every endpoint as "METHOD /path" (OpenAPI templates for patterns), for the API documentation test. */
  endpoints(): string[];
  close(): Promise<void>;
}

/**
 * Starts the mock AMS: the LOCK-facing API, the portal pages for users and the
 * verifier, the CA's certificates and CRL, and the admin API for QA.
 */
export async function startMockAms(options: MockAmsOptions): Promise<MockAms> {
  const now = options.now ?? (() => new Date());
  const { store, problems } = await inDataFolder(options.dataDir, () => MockStore.open(options.dataDir));
  const onProblem = options.onProblem ?? ((problem: AppError) => console.error(`mock AMS: ${problem.message}`));
  problems.forEach(onProblem);
  const ca = await inDataFolder(options.dataDir, () => TestCa.openOrCreate(path.join(options.dataDir, 'ca'), now()));
  const crls = await CrlPublisher.open(ca);
  const faults = noFaults();
  let baseUrl = '';
  const core = new AmsCore(store, ca, { autoApprove: options.autoApprove ?? false, enrollmentFails: false }, now, options.dataDir, () => baseUrl);

  const health: Route = { method: 'GET', path: '/health', handle: async (_req, res) => sendJson(res, 200, { ok: true }) };
  const routes = [health, ...lockRoutes(core, faults), ...caRoutes(core, crls), ...adminRoutes(core, faults), ...portalRoutes(core)];

  // Everything a request triggers runs inside this boundary: URL and parameter
  // parsing included, so no request can throw past it and end the process
  // (embedded, that process is the app).
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    const found = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (!found) {
      if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname === '/') {
        res.writeHead(302, { location: '/portal' });
        return void res.end();
      }
      if (isPortalPath(url.pathname)) return portalNotFound(req, res);
      return sendError(res, new HttpError(404, 'NOT_FOUND', 'no such endpoint'));
    }
    const lockFacing = url.pathname.startsWith('/api/lock/');
    if (lockFacing && (await injectFault(faults, res))) return;
    await found.route.handle(req, res, found.params, url);
  }

  const server: Server = createServer((req, res) => {
    requestScope.run(res, () => {
      handle(req, res).catch((error: unknown) => answerFailure(res, error));
    });
  });
  // A client that trickles its headers or body is cut off instead of holding a socket for minutes.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  const releaseGuard = installProcessGuard();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      store.close();
      // listen()'s errno stays the cause: the app falls back to a free port on EADDRINUSE.
      reject(new AppError('MOCK_LISTEN_FAILED', { detail: `${error.code ?? error.message}: ${options.host ?? '127.0.0.1'}:${options.port ?? 0}`, cause: error }));
    });
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  // The issuing CA's own URLs (the root's CRL and certificate) follow the address.
  await ca.useBaseUrl(baseUrl, now());

  return {
    url: baseUrl,
    faults,
    settings: core.settings,
    get adminKey() {
      return store.adminKey;
    },
    store,
    ca,
    core,
    mintToken: (email, product) => core.newRequest(email, product === undefined ? {} : { product }),
    approve: (requestId, note) => core.decide(requestId, 'approve', note),
    reject: (requestId, note) => core.decide(requestId, 'reject', note),
    endpoints: () => routes.map((r) => `${r.method} ${typeof r.path === 'string' ? r.path : r.template}`),
    close: () =>
      new Promise<void>((resolve) => {
        releaseGuard();
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}

/** A step that opens the mock's data folder, or the system's reason it cannot (not a folder, not writable, full) naming the folder. */
async function inDataFolder<T>(dir: string, open: () => T | Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof AppError || !systemCode(error)) throw error;
    throw writeFailure(error, dir);
  }
}
