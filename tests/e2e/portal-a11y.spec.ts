import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { STRONG } from './flows';
import { mockAdmin } from './mock-admin';
import { audit, SIZES } from './window-support';

const key = process.env['LOCK_TEST_HOST_KEY']!;
// Not MAMAN: portal.spec counts MAMAN's certificates and expects a fresh mock.
const USER = 'yogi.nur@bssn.go.id';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function signIn(portal: Page, url: string, email: string): Promise<void> {
  await portal.goto(`${url}/portal/login`);
  await portal.getByTestId('login-email').fill(email);
  await portal.getByTestId('login').click();
}

async function signOut(portal: Page): Promise<void> {
  await portal.locator('form[action="/portal/logout"] button').click();
  await expect(portal.getByTestId('login-email')).toBeVisible();
}

for (const lang of ['id', 'en'] as const) {
  test(`axe: every mock portal page in ${lang === 'id' ? 'Indonesian' : 'English'}, 0 violations; screenshots at 1366×768 and 800×600`, async ({ page: app, context, request }) => {
    test.setTimeout(300_000);
    const admin = await mockAdmin(request);
    // Without auto-approval the request waits for the letter, the agreement and the verifier.
    await admin.autoApprove(false);
    const portal = await context.newPage();
    await portal.setViewportSize(SIZES[0]);
    const shot = (name: string) => audit(portal, lang, `portal-${name}`);
    try {
      await app.goto(`/?key=${encodeURIComponent(key)}`);
      await portal.goto(`${admin.url}/portal/lang/${lang}`);
      await expect(portal.locator('html')).toHaveAttribute('lang', lang);
      await expect(portal.getByTestId('login-email')).toBeVisible();
      await shot('01-login');

      await portal.getByTestId('login-email').fill('nobody@instansi.go.id');
      await portal.getByTestId('login').click();
      await expect(portal.getByTestId('portal-error')).toBeVisible();
      await shot('02-login-error');

      await signIn(portal, admin.url, USER);
      await expect(portal.locator('h1')).toBeVisible();
      await shot('03-certificates');

      await portal.goto(`${admin.url}/portal/requests/new`);
      await shot('04-new-request');
      await portal.getByTestId('request-continue').click();
      const token = (await portal.getByTestId('csr-token').textContent())!.trim();
      await shot('05-token');

      await portal.locator('a.button[href^="/portal/requests/"]').click();
      const requestUrl = portal.url();
      const requestId = requestUrl.split('/').pop()!;
      await portal.getByTestId('check').click();
      await expect(portal.getByTestId('check-result')).toBeVisible();
      await shot('06-request-check');

      // LOCK Desktop sends the CSR for that token (through the contract, as the UI would).
      const sent = await app.evaluate(
        async ({ token, password }) => (await window.lock['request.submit']({ token, keyStore: 'file', password, passwordConfirm: password })).ok,
        { token, password: STRONG },
      );
      expect(sent).toBe(true);
      await portal.goto(requestUrl);
      await expect(portal.getByTestId('agreement')).toBeVisible();
      await shot('07-request-letter-agreement');
      await portal.getByTestId('letter-input').setInputFiles({ name: 'surat.pdf', mimeType: 'application/pdf', buffer: PDF });
      await portal.locator('form[enctype="multipart/form-data"] button').click();
      await expect(portal.getByTestId('letter-done')).toBeVisible();
      await portal.getByTestId('agreement').evaluate((box) => box.scrollTo(0, box.scrollHeight));
      await portal.getByTestId('agree').check();
      await portal.getByTestId('agree-submit').click();
      await expect(portal.getByTestId('agreement')).toHaveCount(0);
      await shot('08-request-submitted');

      await portal.goto(`${admin.url}/portal/requests`);
      await expect(portal.getByTestId('requests')).toBeVisible();
      await shot('09-requests');

      await portal.goto(`${admin.url}/portal/requests/${randomUUID()}`);
      await expect(portal.getByTestId('portal-error')).toBeVisible();
      await shot('10-error-not-found');
      await portal.goto(`${admin.url}/portal/verifier`);
      await expect(portal.getByTestId('portal-error')).toBeVisible();
      await shot('11-error-not-verifier');
      const unknown = await portal.goto(`${admin.url}/portal/no-such-page`);
      expect(unknown?.status()).toBe(404);
      await expect(portal.getByTestId('portal-home')).toBeVisible();
      await shot('11b-error-unknown-page');

      await portal.goto(`${admin.url}/portal/certificates`);
      await signOut(portal);
      await signIn(portal, admin.url, 'verifikator@instansi.go.id');
      const row = portal.locator(`tr[data-request="${requestId}"]`);
      await expect(row).toBeVisible();
      await shot('12-verifier');
      await row.getByTestId('approve').click();
      await expect(row).toHaveCount(0);
      await shot('13-verifier-empty');
      await signOut(portal);

      await signIn(portal, admin.url, USER);
      const issued = portal.getByTestId('certificates').locator('tr[data-serial]', { has: portal.getByTestId('revoke') }).first();
      await expect(issued).toBeVisible();
      await shot('14-certificates-issued');
      await issued.getByTestId('revoke').click();
      await expect(portal.getByTestId('revoke-warning')).toBeVisible();
      await shot('15-revoke-warning');
      await portal.goBack();
      await issued.getByTestId('passphrase').click();
      await expect(portal.getByTestId('passphrase-refused')).toBeVisible();
      await shot('16-passphrase-refused');
    } finally {
      await admin.autoApprove(true);
      await portal.close();
    }
  });
}
