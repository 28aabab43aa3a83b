import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  ADMIN_KEY_HEADER,
  amsPaths,
  clockBodySchema,
  createUserBodySchema,
  decisionBodySchema,
  faultsBodySchema,
  mintTokenBodySchema,
  mockSettingsBodySchema,
  requestIdBodySchema,
  revokeBodySchema,
} from '../../src/ams-api/schemas';
import type { AmsCore } from './ams-core';
import { HttpError, parseBody, readJson, sendJson, type Route } from './http-util';
import type { MockFaults } from './lock-routes';

/** The admin API for QA, behind the admin key. */
export function adminRoutes(core: AmsCore, faults: MockFaults): Route[] {
  const admin = (method: Route['method'], path: string, handle: (body: unknown) => Promise<[number, unknown]>): Route => ({
    method,
    path,
    handle: async (req, res) => {
      requireAdmin(req, core.store.adminKey);
      const [status, body] = await handle(method === 'POST' ? await readJson(req) : undefined);
      sendJson(res, status, body);
    },
  });
  return [
    admin('POST', amsPaths.adminTokens, async (body) => {
      const { email, product } = parseBody(mintTokenBodySchema, body);
      return [201, await core.newRequest(email, product === undefined ? {} : { product })];
    }),
    admin('GET', amsPaths.adminUsers, async () => [200, { users: core.store.users() }]),
    admin('POST', amsPaths.adminUsers, async (body) => [201, await core.createUser(parseBody(createUserBodySchema, body))]),
    admin('GET', amsPaths.adminRequests, async () => [200, { requests: core.store.requests().map((r) => ({ ...core.statusOf(r), email: r.email, type: r.type })) }]),
    admin('POST', amsPaths.adminFaults, async (body) => [200, Object.assign(faults, parseBody(faultsBodySchema, body))]),
    admin('POST', amsPaths.adminSettings, async (body) => [200, Object.assign(core.settings, parseBody(mockSettingsBodySchema, body))]),
    admin('POST', amsPaths.adminDecisions, async (body) => {
      const { requestId, decision, note } = parseBody(decisionBodySchema, body);
      await core.decide(requestId, decision, note);
      return [200, core.statusOf(core.store.findRequest(requestId)!)];
    }),
    admin('POST', amsPaths.adminClock, async (body) => {
      await core.setClockOffset(parseBody(clockBodySchema, body).offsetDays);
      return [200, { now: core.now().toISOString(), offsetMs: core.store.clockOffsetMs }];
    }),
    admin('POST', amsPaths.adminRevoke, async (body) => {
      const { serialNumber, reason } = parseBody(revokeBodySchema, body);
      await core.revoke(serialNumber.toUpperCase(), reason);
      return [200, { serialNumber, status: 'Revoke' }];
    }),
    admin('POST', amsPaths.adminExpireToken, async (body) => {
      await core.expireToken(parseBody(requestIdBodySchema, body).requestId);
      return [200, { expired: true }];
    }),
    admin('POST', amsPaths.adminReset, async () => {
      await core.reset();
      Object.assign(faults, { latencyMs: 0, serverErrors: 0, garbage: 0, dropAfterCsrStored: 0 });
      return [200, { reset: true }];
    }),
  ];
}

function requireAdmin(req: IncomingMessage, adminKey: string): void {
  const given = Buffer.from(String(req.headers[ADMIN_KEY_HEADER] ?? ''));
  const wanted = Buffer.from(adminKey);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new HttpError(401, 'ADMIN_KEY_INVALID', 'admin key missing or wrong');
  }
}
