import { describe, expect, it } from 'vitest';
import { useMockAms } from '../support/mock';

const fixture = useMockAms();

/** The login form's CSRF value and the cookie that goes with it (login CSRF, double submit). */
async function loginForm(): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${fixture.mock.url}/portal/login`);
  return { cookie: form.headers.get('set-cookie')!.split(';')[0]!, csrf: /name="csrf" value="([^"]+)"/.exec(await form.text())![1]! };
}

async function postLogin(email: string): Promise<Response> {
  const form = await loginForm();
  return fetch(`${fixture.mock.url}/portal/login`, { method: 'POST', headers: { cookie: form.cookie }, body: new URLSearchParams({ email, csrf: form.csrf }), redirect: 'manual' });
}

/** Signs in through the form; returns the session cookie and the page's CSRF token. */
async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
  const login = await postLogin(email);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(`${fixture.mock.url}/portal/requests/new`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
}

describe('portal access rules', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and serves pages under a strict CSP', async () => {
    const login = await postLogin('maman@instansi.go.id');
    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await fetch(`${fixture.mock.url}/portal/login`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe');
    expect((await fetch(`${fixture.mock.url}/portal/certificates`, { redirect: 'manual' })).headers.get('location')).toBe('/portal/login');
  });

  it('a user sees only their own requests; forms need the session’s CSRF token; only verifiers decide', async () => {
    const maman = await signIn('maman@instansi.go.id');
    const created = await fetch(`${fixture.mock.url}/portal/requests/new`, {
      method: 'POST',
      headers: { cookie: maman.cookie },
      body: new URLSearchParams({ csrf: maman.csrf, method: 'LOCK', type: 'Individu', product: 'Tanda Tangan Elektronik' }),
    });
    const tokenPage = await created.text();
    const token = /data-testid="csr-token">([0-9A-F]{40})</.exec(tokenPage)![1]!;
    const requestId = /href="\/portal\/requests\/([0-9a-f-]{36})"/.exec(tokenPage)![1]!;
    expect(fixture.mock.store.findRequestByToken(token)!.id).toBe(requestId);

    const forged = await fetch(`${fixture.mock.url}/portal/requests/new`, { method: 'POST', headers: { cookie: maman.cookie }, body: new URLSearchParams({ csrf: 'nope', product: 'Tanda Tangan Elektronik' }) });
    expect(forged.status).toBe(403);

    const yogi = await signIn('yogi.nur@bssn.go.id');
    expect((await fetch(`${fixture.mock.url}/portal/requests/${requestId}`, { headers: { cookie: yogi.cookie } })).status).toBe(404);
    expect(await (await fetch(`${fixture.mock.url}/portal/requests`, { headers: { cookie: yogi.cookie } })).text()).not.toContain(requestId);
    expect((await fetch(`${fixture.mock.url}/portal/verifier`, { headers: { cookie: yogi.cookie } })).status).toBe(403);

    const verifier = await signIn('verifikator@instansi.go.id');
    expect((await fetch(`${fixture.mock.url}/portal/verifier`, { headers: { cookie: verifier.cookie } })).status).toBe(200);
  });

  it('refusals are explained in the page’s language', async () => {
    const maman = await signIn('maman@instansi.go.id');
    const renewEarly = (cookie: string) =>
      fetch(`${fixture.mock.url}/portal/certificates/ABCDEF/renew`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ csrf: maman.csrf }) });
    const id = await (await renewEarly(maman.cookie)).text();
    expect(id).toContain('Data tidak ditemukan.');
    const en = await (await renewEarly(`${maman.cookie}; ams_lang=en`)).text();
    expect(en).toContain('Not found.');
    const forged = await fetch(`${fixture.mock.url}/portal/requests/new`, { method: 'POST', headers: { cookie: maman.cookie }, body: new URLSearchParams({ csrf: 'old' }) });
    expect(await forged.text()).toContain('Formulir kedaluwarsa.');
  });

  it('the letter must be a PDF within 2 MB', async () => {
    const maman = await signIn('maman@instansi.go.id');
    const { requestId } = await fixture.mock.mintToken('maman@instansi.go.id');
    const request = fixture.mock.store.findRequest(requestId)!;
    fixture.mock.store.putRequest({ ...request, status: 'csr_uploaded' });
    const upload = (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.set('letter', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
      return fetch(`${fixture.mock.url}/portal/requests/${requestId}/letter?csrf=${maman.csrf}`, { method: 'POST', headers: { cookie: maman.cookie }, body: form, redirect: 'manual' });
    };
    const notPdf = await upload(Buffer.from('MZ not a pdf'), 'virus.pdf');
    expect(notPdf.status).toBe(415);
    expect(await notPdf.text()).toContain('Surat rekomendasi harus berupa file PDF.');
    expect((await upload(Buffer.concat([Buffer.from('%PDF-1.4'), Buffer.alloc(2 * 1024 * 1024 + 100_000)]), 'big.pdf')).status).toBe(413);
    expect((await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'surat.pdf')).status).toBe(303);
    expect(fixture.mock.store.findRequest(requestId)!.letter).toMatchObject({ size: 15 });
  });

  it('login and logout need their form’s CSRF value; sessions end when idle or too old', async () => {
    const forged = await fetch(`${fixture.mock.url}/portal/login`, { method: 'POST', body: new URLSearchParams({ email: 'maman@instansi.go.id' }), redirect: 'manual' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const maman = await signIn('maman@instansi.go.id');
    const logoutForged = await fetch(`${fixture.mock.url}/portal/logout`, { method: 'POST', headers: { cookie: maman.cookie }, body: new URLSearchParams({ csrf: 'nope' }), redirect: 'manual' });
    expect(logoutForged.status).toBe(403);
    expect((await fetch(`${fixture.mock.url}/portal/certificates`, { headers: { cookie: maman.cookie }, redirect: 'manual' })).status).toBe(200);
    const logout = await fetch(`${fixture.mock.url}/portal/logout`, { method: 'POST', headers: { cookie: maman.cookie }, body: new URLSearchParams({ csrf: maman.csrf }), redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect((await fetch(`${fixture.mock.url}/portal/certificates`, { headers: { cookie: maman.cookie }, redirect: 'manual' })).status).toBe(303);
  });
});
