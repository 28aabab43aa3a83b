import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_KEY_HEADER,
  amsPaths,
  clockBodySchema,
  createUserBodySchema,
  csrBodySchema,
  decisionBodySchema,
  faultsBodySchema,
  mintTokenBodySchema,
  mockSettingsBodySchema,
  requestIdBodySchema,
  revokeBodySchema,
  tokenBodySchema,
} from '../../src/ams-api/schemas';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import { buildCsr } from '../../src-main/services/csr-builder';
import { generateSoftwareKey, softwareSigner } from '../../src-main/services/software-key';
import { useMockAms } from '../support/mock';
import { defectsOf, validSamples } from '../support/zod-samples';

/**
 * Every admin and LOCK-facing route of the mock AMS, over real HTTP: malformed
 * JSON, a body that is not an object, and every single-field defect read from
 * the route's zod schema (wrong type, missing, over-long, out of range, extra
 * field where the schema is strict) → 400 BAD_REQUEST, and nothing changed in
 * the mock's requests or users. The valid body is then not refused as
 * BAD_REQUEST, which shows each defect alone caused the refusal.
 * Routes come from docs/openapi.json (which openapi.test.ts holds equal to what
 * the mock serves): a new route fails here until its body schema is listed.
 */
const MAMAN = 'maman@instansi.go.id';

interface Ctx {
  token: string;
  requestId: string;
  csr: string;
}

/** Each route's body schema, and the real values that make its sample meaningful (a live token, a real CSR). */
const routes: Record<string, { schema: z.ZodType | null; real?: (ctx: Ctx) => Record<string, unknown> }> = {
  [amsPaths.employee]: { schema: tokenBodySchema, real: (c) => ({ token: c.token }) },
  [amsPaths.csr]: { schema: csrBodySchema, real: (c) => ({ token: c.token, csr: c.csr }) },
  [amsPaths.status]: { schema: tokenBodySchema, real: (c) => ({ token: c.token }) },
  [amsPaths.certificate]: { schema: tokenBodySchema, real: (c) => ({ token: c.token }) },
  [amsPaths.adminTokens]: { schema: mintTokenBodySchema, real: () => ({ email: MAMAN }) },
  [amsPaths.adminUsers]: {
    schema: createUserBodySchema,
    real: () => ({
      email: 'budi@instansi.go.id',
      name: 'BUDI SANTOSO',
      nik: '3174000101900002',
      nip: '199001012015031002',
      position: 'PELAKSANA',
      unit: 'BIDANG UMUM',
      organization: 'NAMA INSTANSI',
      locality: 'Jakarta Pusat',
      province: 'DKI Jakarta',
    }),
  },
  [amsPaths.adminFaults]: { schema: faultsBodySchema, real: () => ({ latencyMs: 0, serverErrors: 0, garbage: 0, dropAfterCsrStored: 0 }) },
  [amsPaths.adminDecisions]: { schema: decisionBodySchema, real: (c) => ({ requestId: c.requestId, decision: 'approve' }) },
  [amsPaths.adminSettings]: { schema: mockSettingsBodySchema, real: () => ({ autoApprove: false, enrollmentFails: false }) },
  [amsPaths.adminClock]: { schema: clockBodySchema, real: () => ({ offsetDays: 0 }) },
  [amsPaths.adminRevoke]: { schema: revokeBodySchema, real: () => ({ serialNumber: 'ABCDEF', reason: 'keyCompromise' }) },
  [amsPaths.adminExpireToken]: { schema: requestIdBodySchema, real: (c) => ({ requestId: c.requestId }) },
  // Takes no parameters: any JSON body is fine, malformed JSON is not.
  [amsPaths.adminReset]: { schema: null },
};

const spec = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const posted = Object.entries(spec.paths)
  .filter(([path, ops]) => 'post' in ops && (path.startsWith('/admin/') || path.startsWith('/api/lock/')))
  .map(([path]) => path);

describe('mock AMS admin and LOCK routes refuse malformed bodies with 400 before doing anything', () => {
  const fixture = useMockAms({ autoApprove: false });
  const adminHeaders = () => ({ [ADMIN_KEY_HEADER]: fixture.mock.adminKey, 'content-type': 'application/json' });

  const post = async (path: string, body: string) => {
    const response = await fetch(`${fixture.mock.url}${path}`, { method: 'POST', headers: adminHeaders(), body });
    const text = await response.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { status: response.status, code, text };
  };
  const state = async () => {
    const get = async (path: string) => (await fetch(`${fixture.mock.url}${path}`, { headers: adminHeaders() })).json();
    return { requests: await get(amsPaths.adminRequests), users: await get(amsPaths.adminUsers) };
  };
  const context = async (): Promise<Ctx> => {
    const minted = await fixture.mock.mintToken(MAMAN);
    const csr = await buildCsr(MAMAN_EMPLOYEE, softwareSigner(await generateSoftwareKey()));
    return { token: minted.token, requestId: minted.requestId, csr };
  };

  it('knows the body schema of every POST route under /admin/ and /api/lock/', () => {
    expect(posted.length).toBeGreaterThan(10);
    for (const path of posted) expect(routes, `add the body schema of POST ${path} to this test`).toHaveProperty([path]);
  });

  it.each(posted)('POST %s', async (path) => {
    const route = routes[path]!;
    const ctx = await context();
    const refusals: { name: string; body: string }[] = [
      { name: 'malformed JSON', body: '{"token": ' },
      { name: 'empty body', body: '' },
    ];
    let valid: unknown = {};
    if (route.schema) {
      valid = { ...(validSamples(route.schema)[0] as object), ...route.real?.(ctx) };
      expect(route.schema.safeParse(valid).success, 'the valid sample fits the schema').toBe(true);
      refusals.push(
        ...[42, 'text', [], null].map((value) => ({ name: `${JSON.stringify(value)} instead of an object`, body: JSON.stringify(value) })),
        ...defectsOf(route.schema, valid).map((d) => ({ name: d.name, body: JSON.stringify(d.value) })),
      );
    }
    const before = await state();
    for (const { name, body } of refusals) {
      const answer = await post(path, body);
      expect({ name, status: answer.status, code: answer.code }).toEqual({ name, status: 400, code: 'BAD_REQUEST' });
    }
    expect(await state(), 'a refused body changed nothing').toEqual(before);

    const accepted = await post(path, JSON.stringify(valid));
    expect(accepted.code, `valid body ${JSON.stringify(valid)}: ${accepted.text}`).not.toBe('BAD_REQUEST');
    expect(accepted.status).toBeLessThan(500);
    await post(amsPaths.adminReset, '{}');
    await post(amsPaths.adminSettings, JSON.stringify({ autoApprove: false, enrollmentFails: false }));
  });
});
