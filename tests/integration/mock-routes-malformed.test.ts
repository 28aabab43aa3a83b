import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type * as z from 'zod';
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

/**
 * The portal's form routes (POST /portal/..., form-encoded, 64 KiB at most;
 * the letter upload is multipart): a form one byte over the limit → 413, a form
 * without the page's CSRF value (absent, wrong, sent as JSON, %-garbage, binary)
 * → 403, an unreadable upload → 400, and none of them changes the mock or ends
 * the session. A form of exactly 64 KiB with the right CSRF value is then read.
 */
const FORM_LIMIT = 64 * 1024;
const portalPosted = Object.entries(spec.paths)
  .filter(([path, ops]) => 'post' in ops && path.startsWith('/portal/'))
  .map(([path]) => path);

/** Per route: who signs in, and the fields that make a meaningful valid form. */
const portalForms: Record<string, { as: 'login' | 'maman' | 'verifier'; fields: Record<string, string>; multipart?: true }> = {
  '/portal/login': { as: 'login', fields: { email: MAMAN } },
  '/portal/logout': { as: 'maman', fields: {} },
  '/portal/certificates/{serial}/revoke': { as: 'maman', fields: { reason: 'keyCompromise' } },
  '/portal/certificates/{serial}/renew': { as: 'maman', fields: {} },
  '/portal/certificates/{serial}/passphrase': { as: 'maman', fields: {} },
  '/portal/requests/new': { as: 'maman', fields: { method: 'LOCK', type: 'Individu', product: 'Tanda Tangan Elektronik' } },
  '/portal/requests/{id}/check': { as: 'maman', fields: {} },
  '/portal/requests/{id}/letter': { as: 'maman', fields: {}, multipart: true },
  '/portal/requests/{id}/submit': { as: 'maman', fields: { agree: 'on' } },
  '/portal/verifier/{id}': { as: 'verifier', fields: { decision: 'approve', note: 'ok' } },
};

/** One request with node:http (the body exactly as given); a reset after the answer still yields the answer. */
function send(base: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let status = 0;
    const req = httpRequest({ host: hostname, port, method: 'POST', path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      status = res.statusCode ?? 0;
      res.resume().on('end', () => resolve(status));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer')));
    req.on('error', (error) => (status ? resolve(status) : reject(error)));
    req.end(body);
  });
}

/** `fields` as a form of exactly `bytes` bytes: a padding field fills it up. */
function formOf(fields: Record<string, string>, bytes: number): string {
  const head = new URLSearchParams({ ...fields, pad: '' }).toString();
  return head + 'x'.repeat(bytes - head.length);
}

describe('mock portal form routes refuse malformed and oversized forms before doing anything', () => {
  const fixture = useMockAms({ autoApprove: false });
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

  const loginChallenge = async () => {
    const page = await fetch(`${fixture.mock.url}/portal/login`);
    return { cookie: page.headers.get('set-cookie')!.split(';')[0]!, csrf: /name="csrf" value="([^"]+)"/.exec(await page.text())![1]! };
  };
  const signIn = async (email: string) => {
    const challenge = await loginChallenge();
    const body = new URLSearchParams({ email, csrf: challenge.csrf }).toString();
    const login = await fetch(`${fixture.mock.url}/portal/login`, { method: 'POST', headers: { ...FORM, cookie: challenge.cookie }, body, redirect: 'manual' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${fixture.mock.url}/portal/requests/new`, { headers: { cookie } })).text();
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
  };
  const state = async () => {
    const get = async (path: string) => (await fetch(`${fixture.mock.url}${path}`, { headers: { [ADMIN_KEY_HEADER]: fixture.mock.adminKey } })).json();
    return { requests: await get(amsPaths.adminRequests), users: await get(amsPaths.adminUsers) };
  };
  const signedIn = async (cookie: string) => (await fetch(`${fixture.mock.url}/portal/certificates`, { headers: { cookie }, redirect: 'manual' })).status === 200;

  it('knows every POST route under /portal/', () => {
    expect(portalPosted.length).toBeGreaterThan(5);
    expect(Object.keys(portalForms).sort(), 'add the new portal route to portalForms').toEqual([...portalPosted].sort());
  });

  it.each(portalPosted)('POST %s', async (template) => {
    const route = portalForms[template]!;
    const { requestId } = await fixture.mock.mintToken(MAMAN);
    const auth = route.as === 'login' ? await loginChallenge() : await signIn(route.as === 'maman' ? MAMAN : 'verifikator@instansi.go.id');
    const path = template.replace('{id}', requestId).replace('{serial}', 'ABCDEF');
    const headers = { ...FORM, cookie: auth.cookie };
    const valid = { ...route.fields, csrf: auth.csrf };

    const refusals: { name: string; status: number; path?: string; headers?: Record<string, string>; body: string | Buffer }[] = route.multipart
      ? [
          { name: 'no CSRF value', status: 403, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=b' }, body: '--b--\r\n' },
          { name: 'a form instead of an upload', status: 400, path: `${path}?csrf=${auth.csrf}`, body: formOf(valid, 100) },
          { name: 'a broken multipart body', status: 400, path: `${path}?csrf=${auth.csrf}`, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=b' }, body: '--b\r\nContent-Disposition: form-data; name="letter"\r\n\r\nx' },
        ]
      : [
          { name: `${FORM_LIMIT + 1} bytes with the right CSRF value`, status: 413, body: formOf(valid, FORM_LIMIT + 1) },
          { name: 'no CSRF value', status: 403, body: formOf(route.fields, 200) },
          { name: 'a wrong CSRF value', status: 403, body: formOf({ ...route.fields, csrf: 'A'.repeat(auth.csrf.length) }, 200) },
          { name: 'the CSRF value as JSON', status: 403, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(valid) },
          { name: '%-garbage', status: 403, body: '%%%=%%%&&&=&csrf=%ZZ%' },
          { name: 'binary bytes', status: 403, body: Buffer.from([0, 0xff, 0x3d, 0x26, 0xfe, 0x80, 0x25]) },
        ];
    const before = await state();
    for (const refusal of refusals) {
      const status = await send(fixture.mock.url, refusal.path ?? path, refusal.headers ?? headers, refusal.body);
      expect({ name: refusal.name, status }).toEqual({ name: refusal.name, status: refusal.status });
    }
    expect(await state(), 'a refused form changed nothing').toEqual(before);
    if (route.as !== 'login') expect(await signedIn(auth.cookie), 'a refused form does not end the session').toBe(true);

    if (route.multipart) return;
    // Exactly at the limit, with the right CSRF value: read and handled (whatever the route then decides).
    const status = await send(fixture.mock.url, path, headers, formOf(valid, FORM_LIMIT));
    expect(status, `${FORM_LIMIT} bytes`).not.toBe(413);
    expect(status, `${FORM_LIMIT} bytes`).not.toBe(403);
    expect(status).toBeLessThan(500);
  });
});
