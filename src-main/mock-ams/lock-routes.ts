import type { ServerResponse } from 'node:http';
import { amsPaths, csrBodySchema, tokenBodySchema, type CertificateResponse, type EmployeeResponse } from '../../src/ams-api/schemas';
import type { AmsCore } from './ams-core';
import { HttpError, parseBody, readJson, sendError, sendJson, sendText, type Route } from './http-util';

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

export const noFaults = (): MockFaults => ({ latencyMs: 0, serverErrors: 0, garbage: 0, dropAfterCsrStored: 0 });

/** The API the LOCK desktop app calls: token → employee data, CSR upload, status, certificate. */
export function lockRoutes(core: AmsCore, faults: MockFaults): Route[] {
  return [
    {
      method: 'POST',
      path: amsPaths.employee,
      handle: async (req, res) => {
        const { token } = parseBody(tokenBodySchema, await readJson(req));
        const { request, user } = core.requestForToken(token);
        if (request.status === 'awaiting_csr' && core.tokenExpired(request)) throw new HttpError(410, 'TOKEN_EXPIRED', 'token expired');
        const status = core.statusOf(request).status;
        const body: EmployeeResponse = { requestId: request.id, product: request.product, status, employee: core.employeeOf(user) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'POST',
      path: amsPaths.csr,
      handle: async (req, res) => {
        const { token, csr } = parseBody(csrBodySchema, await readJson(req));
        const { status, stored } = await core.uploadCsr(token, csr);
        if (stored && faults.dropAfterCsrStored > 0) {
          faults.dropAfterCsrStored--;
          res.socket?.destroy();
          return;
        }
        sendJson(res, 200, status);
      },
    },
    {
      method: 'POST',
      path: amsPaths.status,
      handle: async (req, res) => {
        const { token } = parseBody(tokenBodySchema, await readJson(req));
        sendJson(res, 200, core.statusOf(core.requestForToken(token).request));
      },
    },
    {
      method: 'POST',
      path: amsPaths.certificate,
      handle: async (req, res) => {
        const { token } = parseBody(tokenBodySchema, await readJson(req));
        const { request } = core.requestForToken(token);
        const status = core.statusOf(request).status;
        if (status === 'revoked') throw new HttpError(409, 'REVOKED', 'the certificate was revoked');
        if (status !== 'issued' || !request.certificate) throw new HttpError(409, 'NOT_ISSUED', `status ${status}`);
        const chain = core.ca.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).filter((pem) => pem.trim() !== '');
        const body: CertificateResponse = { requestId: request.id, certificate: request.certificate.pem, chain };
        sendJson(res, 200, body);
      },
    },
  ];
}

/** Applies armed faults before a LOCK-facing call; true when the fault already answered. */
export async function injectFault(faults: MockFaults, res: ServerResponse): Promise<boolean> {
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
