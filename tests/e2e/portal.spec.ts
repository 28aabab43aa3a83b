import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SOFTHSM_LIBRARIES } from '../../native/softhsm/create-token.mjs';
import { openDownloadTab, shot, STRONG } from './flows';
import { mockAdmin } from './mock-admin';

const key = process.env['LOCK_TEST_HOST_KEY']!;
const softHsm = Boolean(process.env['LOCK_E2E_SOFTHSM_CONF']);
// The renewal runs on the SoftHSM2 token whenever SoftHSM2 is installed. Where it should be there
// (CI installs it; or its library is on disk but the token could not be made) a missing token fails
// the run instead of quietly taking the file-key path. The token path is also covered by token.spec.ts.
const softHsmInstalled = (SOFTHSM_LIBRARIES[process.platform as keyof typeof SOFTHSM_LIBRARIES] ?? []).some((p) => existsSync(p));
if (!softHsm && (process.env['CI'] || softHsmInstalled)) {
  throw new Error(`portal.spec: SoftHSM2 ${softHsmInstalled ? 'is installed but no token was made (see the playwright.config warning)' : 'is missing on CI'}; the renewal must run on the token`);
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function portalLogin(portal: Page, url: string, email: string): Promise<void> {
  await portal.goto(`${url}/portal/login`);
  await portal.getByTestId('login-email').fill(email);
  await portal.getByTestId('login').click();
}

/** "Salin Token" in the portal, then the app's clipboard gets what the browser's has. */
async function copyTokenToApp(portal: Page, app: Page): Promise<string> {
  await portal.getByRole('button', { name: 'Salin Token' }).click();
  await expect(portal.getByText('Token disalin.')).toBeVisible();
  const copied = await portal.evaluate(() => navigator.clipboard.readText());
  const response = await app.request.post('/__lock/test/clipboard', { headers: { 'x-lock-key': key }, data: { text: copied } });
  expect(response.ok()).toBe(true);
  return copied;
}

async function appRequest(app: Page, usb: boolean): Promise<void> {
  await app.getByRole('tab', { name: 'Permintaan Sertifikat' }).click();
  await app.getByRole('button', { name: '(1) Paste >>' }).click();
  await app.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(app.getByTestId('employee').locator('[data-field=name]')).toHaveText('MAMAN');
  await app.getByTestId('generate').click();
  if (!usb) {
    await app.getByTestId('usb-question').getByRole('button', { name: 'No' }).click();
    await app.getByTestId('password-input').fill(STRONG);
    await app.getByTestId('password-confirm').fill(STRONG);
    await app.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
  } else {
    await app.getByTestId('usb-question').getByRole('button', { name: 'Yes' }).click();
    const driver = app.getByTestId('driver');
    const picker = app.getByTestId('token-picker');
    await expect(driver.or(picker)).toBeVisible();
    if (await driver.isVisible()) {
      await driver.getByRole('radio', { name: /SoftHSM2/ }).check();
      await driver.getByRole('button', { name: 'Lanjut' }).click();
    }
    await picker.getByRole('radio', { name: 'ST3' }).check();
    await picker.getByRole('button', { name: 'Lanjut' }).click();
    await app.getByTestId('pin').getByTestId('pin-input').fill('123456');
    await app.getByTestId('pin').getByRole('button', { name: 'Lanjut' }).click();
  }
  await expect(app.getByTestId('success')).toContainText('CSR berhasil dikirim', { timeout: 30_000 });
  await app.getByTestId('success').getByRole('button', { name: 'OK' }).click();
}

test('portal and app together: request → Salin Token → LOCK → Cek → letter → agreement → verifier → download → renewal at H-30 → revoke', async ({ page: app, context, request }) => {
  test.setTimeout(180_000);
  const admin = await mockAdmin(request);
  await admin.autoApprove(false);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: admin.url });
  const portal = await context.newPage();
  try {
    await app.goto(`/?key=${encodeURIComponent(key)}`);

    // AMS: Sertifikat Saya → Permohonan Baru → LOCK, Individu, product → the token.
    await portalLogin(portal, admin.url, 'maman@instansi.go.id');
    await shot(portal, 'portal', '01-certificates');
    await portal.getByRole('link', { name: 'Permohonan Baru' }).click();
    await portal.getByTestId('product').selectOption('Tanda Tangan Elektronik');
    await shot(portal, 'portal', '02-new-request');
    await portal.getByTestId('request-continue').click();
    await expect(portal.getByTestId('csr-token')).toHaveText(/^[0-9A-F]{40}$/);
    await shot(portal, 'portal', '03-token');
    await copyTokenToApp(portal, app);

    // Cek before the app sent anything.
    await portal.getByRole('link', { name: 'Lihat permohonan' }).click();
    await portal.getByTestId('check').click();
    await expect(portal.getByTestId('check-result')).toContainText('CSR belum diterima');

    // LOCK Desktop: paste, continue, generate with a file key.
    await appRequest(app, false);

    // AMS: Cek shows Sudah Upload; letter; agreement scrolled to the end and ticked.
    await portal.getByTestId('check').click();
    await expect(portal.getByTestId('check-result')).toHaveText('Sudah Upload');
    await shot(portal, 'portal', '04-sudah-upload');
    await portal.getByTestId('letter-input').setInputFiles({ name: 'surat-rekomendasi.pdf', mimeType: 'application/pdf', buffer: PDF });
    await portal.getByRole('button', { name: 'Unggah' }).click();
    await expect(portal.getByTestId('letter-done')).toBeVisible();
    await expect(portal.getByTestId('agree')).toBeDisabled();
    await portal.getByTestId('agreement').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await expect(portal.getByTestId('agree')).toBeEnabled();
    await expect(portal.getByTestId('agree-submit')).toBeDisabled();
    await portal.getByTestId('agree').check();
    await shot(portal, 'portal', '05-agreement');
    await portal.getByTestId('agree-submit').click();
    await expect(portal.getByTestId('request-status')).toHaveText('Menunggu verifikasi');

    // The verifier approves.
    await portal.getByRole('button', { name: 'Keluar' }).click();
    await portalLogin(portal, admin.url, 'verifikator@instansi.go.id');
    const row = portal.getByTestId('pending').locator('tr', { hasText: 'MAMAN' });
    await row.getByTestId('decision-note').fill('Disetujui, data sesuai');
    await shot(portal, 'portal', '06-verifier');
    await row.getByTestId('approve').click();
    await expect(portal.getByText('Tidak ada permohonan yang menunggu.')).toBeVisible();

    // LOCK Desktop: the certificate comes home.
    await openDownloadTab(app);
    await app.getByTestId('dl-refresh').click();
    const entry = app.getByTestId('ledger').locator('tbody tr').first();
    await expect(entry.getByTestId('status')).toHaveText('Terbit');
    await expect(entry).toContainText('Disetujui, data sesuai');
    await entry.getByTestId('dl-button').click();
    await app.getByTestId('dl-question').getByRole('button', { name: 'No' }).click();
    await app.getByTestId('dl-password-input').fill(STRONG);
    await app.getByTestId('dl-password').getByRole('button', { name: 'Lanjut' }).click();
    await expect(app.getByTestId('dl-success')).toContainText('lolos uji tanda tangan', { timeout: 30_000 });
    const files = await app.getByTestId('dl-success').locator('code').allTextContents();
    const pem = files.find((f) => f.endsWith('.pem'))!;
    expect(spawnSync('openssl', ['x509', '-in', pem, '-noout', '-subject'], { encoding: 'utf8' }).stdout).toContain('CN = MAMAN');
    await app.getByTestId('dl-success').getByRole('button', { name: 'OK' }).click();

    // AMS: the certificate list; passphrase actions refused for LOCK; renewal only from H-30.
    await portal.getByRole('button', { name: 'Keluar' }).click();
    await portalLogin(portal, admin.url, 'maman@instansi.go.id');
    const certRow = portal.getByTestId('certificates').locator('tr[data-serial]').first();
    await expect(certRow.getByTestId('cert-status')).toHaveText('Issued');
    await expect(certRow.getByTestId('renew-later')).toBeVisible();
    await certRow.getByTestId('passphrase').click();
    await expect(portal.getByTestId('passphrase-refused')).toContainText('tidak dapat diubah atau direset');
    await shot(portal, 'portal', '07-passphrase-refused');
    await portal.goBack();

    await admin.clock(340);
    await portal.reload();
    await expect(certRow.getByTestId('renew')).toBeVisible();
    await shot(portal, 'portal', '08-renew-h30');
    await certRow.getByTestId('renew').click();
    await copyTokenToApp(portal, app);
    if (!softHsm) {
      console.warn('\n*** SoftHSM2 NOT INSTALLED: portal.spec renews with a FILE key; its token path did not run here. ***\n');
      test.info().annotations.push({ type: 'warning', description: 'SoftHSM2 not installed: renewal used a file key, token path not run' });
    }
    await appRequest(app, softHsm);
    const requests = (await (await request.get(`${admin.url}/admin/v1/requests`, { headers: { 'x-admin-key': await adminKey(request) } })).json()) as { requests: { requestId: string; status: string; type: string }[] };
    const renewal = requests.requests.find((r) => r.type === 'renew' && r.status === 'csr_uploaded')!;
    // The renewal's key is where the run says it is: on the ST3 token when SoftHSM2 is here.
    const ledger = await app.evaluate(async () => {
      const result = await window.lock['ledger.refresh']({});
      return result.ok ? result.value : [];
    });
    const renewalEntry = ledger.find((entry) => entry.requestId === renewal.requestId);
    expect(renewalEntry, 'the renewal is in the app ledger').toBeDefined();
    expect(renewalEntry!.keyStore).toBe(softHsm ? 'pkcs11' : 'file');
    if (softHsm) expect(renewalEntry!.token?.label).toBe('ST3');
    await admin.decide(renewal.requestId, 'approve');
    await portal.goto(`${admin.url}/portal/certificates`);
    const statuses = await portal.getByTestId('cert-status').allTextContents();
    expect(statuses.sort()).toEqual(['Issued', 'Renew']);
    await shot(portal, 'portal', '09-renewed');

    // Revoke the new certificate: Revoke in the portal, Dicabut in the app.
    const issuedRow = portal.getByTestId('certificates').locator('tr[data-serial]', { has: portal.getByTestId('cert-status').getByText('Issued', { exact: true }) });
    await issuedRow.getByTestId('revoke').click();
    await portal.getByTestId('revoke-reason').selectOption('keyCompromise');
    await portal.getByTestId('revoke-confirm').click();
    expect((await portal.getByTestId('cert-status').allTextContents()).sort()).toEqual(['Renew', 'Revoke']);
    await shot(portal, 'portal', '10-revoked');
    await portal.getByRole('link', { name: 'Status Permohonan' }).click();
    await expect(portal.getByTestId('requests')).toContainText('revoke');
    await shot(portal, 'portal', '11-status-permohonan');

    await openDownloadTab(app);
    await app.getByTestId('dl-refresh').click();
    await expect(app.getByTestId('ledger').locator('tbody tr').first().getByTestId('status')).toHaveText('Dicabut');
    await shot(app, 'web', '15-download-revoked');
  } finally {
    await admin.clock(0);
    await admin.autoApprove(true);
  }
});

async function adminKey(request: Parameters<typeof mockAdmin>[0]): Promise<string> {
  const response = await request.get('/__lock/test/mock-admin', { headers: { 'x-lock-key': key } });
  return ((await response.json()) as { adminKey: string }).adminKey;
}
