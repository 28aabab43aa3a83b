import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { downloadWithFileKey, openDownloadTab, prepareDemoFileKeyRequest, requestWithFileKey, shot, STRONG, useLanguage } from './flows';
import { mockAdmin } from './mock-admin';

const key = process.env['LOCK_TEST_HOST_KEY']!;

test.beforeEach(async ({ page }) => {
  await page.goto(`/?key=${encodeURIComponent(key)}`);
});

test('paste → continue → data → No → password → sent → issued → download → bundle p12', async ({ page }) => {
  // The whole flow in one test: over a minute on a loaded 2-core machine.
  test.slow();
  await requestWithFileKey(page, 'web');
  const { pem, p12 } = await downloadWithFileKey(page, 'web');

  // Independent checks of what landed on disk.
  const p12Info = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-in', p12, '-passin', `pass:${STRONG}`], { encoding: 'utf8' });
  expect(p12Info.status, p12Info.stderr).toBe(0);
  expect(p12Info.stderr).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  expect(spawnSync('openssl', ['x509', '-in', pem, '-noout', '-subject'], { encoding: 'utf8' }).stdout).toContain('CN = MAMAN');

  // Tab 3: the same certificate with the app's stored key, as a modern .p12.
  await page.getByRole('tab', { name: 'Bundle p12' }).click();
  await page.getByTestId('bundle-cert').fill(pem);
  await expect(page.getByTestId('bundle-stored-key')).toContainText('MAMAN');
  await page.getByTestId('bundle-key-password').fill('Salah#Password99');
  await page.getByTestId('bundle-password').fill('Bundle#Pass2026');
  await page.getByTestId('bundle-password-confirm').fill('Bundle#Pass2026');
  await page.getByText('Modern (AES-256').click();
  await page.getByTestId('bundle-create').click();
  await expect(page.getByTestId('inline-error')).toContainText('Password kunci salah');
  await shot(page, 'web', '11-bundle-error');
  await page.getByTestId('bundle-key-password').fill(STRONG);
  await page.getByTestId('bundle-create').click();
  const done = page.getByTestId('bundle-done');
  await expect(done).toContainText('.p12');
  await expect(done).toContainText('rantai CA: 2');
  await shot(page, 'web', '11-bundle-done');
  const bundled = /File \.p12 dibuat: (.+\.p12)/.exec((await done.textContent()) ?? '')![1]!;
  const info = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-in', bundled, '-passin', 'pass:Bundle#Pass2026'], { encoding: 'utf8' });
  expect(info.status, info.stderr).toBe(0);
  expect(info.stderr).toContain('MAC: sha256');
});

test('a request not yet issued shows its status and the verifier’s note instead of a download', async ({ page, request }) => {
  const admin = await mockAdmin(request);
  await admin.autoApprove(false);
  try {
    const token = await prepareDemoFileKeyRequest(page);
    await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
    await expect(page.getByTestId('success')).toContainText('Lanjutkan di portal AMS');
    await page.getByTestId('success').getByRole('button', { name: 'OK' }).click();

    await openDownloadTab(page);
    const row = page.getByTestId('ledger').locator('tbody tr').first();
    await expect(row.getByTestId('status')).toHaveText('Sudah Upload');
    await expect(row.getByTestId('dl-button')).toHaveCount(0);

    const lookup = await page.evaluate(async (t) => {
      const result = await window.lock['request.lookup']({ token: t });
      return result.ok ? result.value.requestId : '';
    }, token);
    await admin.decide(lookup, 'reject', 'Surat rekomendasi belum diunggah');
    await page.getByTestId('dl-refresh').click();
    await expect(row.getByTestId('status')).toHaveText('Ditolak');
    await expect(row).toContainText('Surat rekomendasi belum diunggah');
    await expect(row.getByTestId('dl-button')).toHaveCount(0);
    await shot(page, 'web', '14-download-rejected');
  } finally {
    await admin.autoApprove(true);
  }
});

test('the progress dialog shows each step while the key is made and sent', async ({ page, request }) => {
  await prepareDemoFileKeyRequest(page);
  // A slow AMS keeps the dialog on screen long enough to watch the steps advance.
  const admin = await mockAdmin(request);
  await admin.faults({ latencyMs: 3000 });
  try {
    await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
    const progress = page.getByTestId('progress');
    await expect(progress.locator('[data-state=active]')).toHaveText('Memeriksa token di AMS');
    await expect(progress.locator('[data-state=active]')).toHaveText('Mengirim CSR ke AMS', { timeout: 20_000 });
    await expect(progress.locator('[data-state=done]')).toHaveCount(3);
    await shot(page, 'web', '06b-progress');
    await expect(page.getByTestId('success')).toBeVisible({ timeout: 30_000 });
  } finally {
    await admin.faults({ latencyMs: 0 });
  }
});

test('bad tokens get their own clear messages, in Indonesian and English', async ({ page }) => {
  await page.getByTestId('token').fill('  "not a token!"  ');
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('error')).toContainText('Token tidak dikenali formatnya');
  await shot(page, 'web', '12-error-malformed');
  await page.getByRole('button', { name: 'OK' }).click();

  await page.getByTestId('token').fill('ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ');
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('error')).toContainText('Token tidak ditemukan di AMS');
  await page.getByRole('button', { name: 'OK' }).click();

  await page.getByTestId('lang').click();
  try {
    await expect(page.getByRole('tab', { name: 'Certificate Request' })).toBeVisible();
    await page.getByRole('button', { name: '(2) Continue >>' }).click();
    await expect(page.getByTestId('error')).toContainText('AMS does not know this token');
    await shot(page, 'web', '13-error-unknown-en');
  } finally {
    // The language is remembered; later tests start in Indonesian.
    await useLanguage(page, 'id');
  }
});
