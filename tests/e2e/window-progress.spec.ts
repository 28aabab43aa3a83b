import { expect, test, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { openDownloadTab, prepareDemoFileKeyRequest, shot, STRONG } from './flows';
import { mockAdmin } from './mock-admin';

const key = process.env['LOCK_TEST_HOST_KEY']!;

test('progress dialogs: "Berhenti menunggu" while AMS is slow hides the wait; the CSR is still sent once, the download still lands, and each result is shown when it comes', async ({ page, request }) => {
  test.slow();
  const admin = await mockAdmin(request);
  await page.goto(`/?key=${encodeURIComponent(key)}`);
  const token = await prepareDemoFileKeyRequest(page);
  try {
    // Sending the CSR: stop waiting during "Memeriksa token di AMS".
    await admin.faults({ latencyMs: 5000 });
    await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
    const progress = page.getByTestId('progress');
    await expect(progress).toContainText('Berhenti menunggu');
    await progress.getByTestId('stop-waiting').click();
    const stopped = page.getByTestId('stopped');
    await expect(stopped).toContainText('mungkin sudah diterima AMS');
    await shot(page, 'web', '06c-stopped-waiting');
    await stopped.getByRole('button', { name: 'OK' }).click();
    // The app is usable meanwhile; (3) waits for the running submission instead of starting another.
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await expect(page.getByTestId('generate')).toBeDisabled();
    await admin.faults({ latencyMs: 0 });
    // The submission went on in the background; its result is shown when it arrives.
    const success = page.getByTestId('success');
    await expect(success).toContainText('CSR berhasil dikirim', { timeout: 60_000 });
    await success.getByRole('button', { name: 'OK' }).click();
    const ledger = await page.evaluate(async () => {
      const result = await window.lock['ledger.refresh']({});
      return result.ok ? result.value : [];
    });
    const lookup = await page.evaluate(async (t) => {
      const result = await window.lock['request.lookup']({ token: t });
      return result.ok ? result.value.requestId : '';
    }, token);
    const mine = ledger.filter((entry) => entry.requestId === lookup);
    expect(mine, 'one ledger entry, one key, for the token').toHaveLength(1);
    expect(mine[0]!.amsStatus).toBe('issued');

    // Downloading: stop waiting while the certificate is fetched; the files still land.
    await openDownloadTab(page);
    const row = page.getByTestId('ledger').locator(`tbody tr`).first();
    await expect(row.getByTestId('status')).toHaveAttribute('data-status', 'issued');
    await row.getByTestId('dl-button').click();
    await page.getByTestId('dl-question').getByRole('button', { name: 'No' }).click();
    await page.getByTestId('dl-password-input').fill(STRONG);
    await admin.faults({ latencyMs: 5000 });
    await page.getByTestId('dl-password').getByRole('button', { name: 'Lanjut' }).click();
    await page.getByTestId('dl-progress').getByTestId('stop-waiting').click();
    await expect(page.getByTestId('stopped')).toContainText('folder sertifikat');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('stopped')).toHaveCount(0);
    await admin.faults({ latencyMs: 0 });
    const done = page.getByTestId('dl-success');
    await expect(done).toContainText('lolos uji tanda tangan', { timeout: 60_000 });
    const files = await done.locator('code').allTextContents();
    await done.getByRole('button', { name: 'OK' }).click();
    await expect(row.getByTestId('status')).toContainText('sudah diunduh');

    // "Download lagi": the same certificate replaces its own files; no "… (2).pem" beside them.
    await row.getByTestId('dl-button').click();
    await page.getByTestId('dl-question').getByRole('button', { name: 'No' }).click();
    await page.getByTestId('dl-password-input').fill(STRONG);
    await page.getByTestId('dl-password').getByRole('button', { name: 'Lanjut' }).click();
    await expect(done).toContainText('lolos uji tanda tangan', { timeout: 60_000 });
    expect(await done.locator('code').allTextContents()).toEqual(files);
    const folder = path.dirname(files[0]!);
    const base = path.basename(files[0]!, '.pem');
    expect(readdirSync(folder).filter((f) => f.startsWith(base)).sort()).toEqual([`${base}.p12`, `${base}.pem`]);
    await done.getByRole('button', { name: 'OK' }).click();
  } finally {
    await admin.faults({ latencyMs: 0 });
  }
});

test('H-30: the reminder links to the renewal page, opened in the system browser through the contract, which opens only AMS pages', async ({ page }) => {
  test.slow();
  await page.goto(`/?key=${encodeURIComponent(key)}`);
  const token = await prepareDemoFileKeyRequest(page);
  await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
  await page.getByTestId('success').getByRole('button', { name: 'OK' }).click({ timeout: 60_000 });
  const { entries, amsUrl, requestId } = await page.evaluate(async (t) => {
    const [ledger, info, lookup] = await Promise.all([window.lock['ledger.refresh']({}), window.lock['app.info']({}), window.lock['request.lookup']({ token: t })]);
    return { entries: ledger.ok ? ledger.value : [], amsUrl: info.ok ? info.value.amsUrl : '', requestId: lookup.ok ? lookup.value.requestId : '' };
  }, token);
  const issued = entries.find((e) => e.requestId === requestId && e.amsStatus === 'issued' && e.certificate)!;
  expect(issued, 'an issued certificate with its validity').toBeDefined();

  // The window's clock moves to 20 days before that certificate expires (the app's dates come from it).
  await page.clock.setFixedTime(new Date(Date.parse(issued.certificate!.notAfter) - 20 * 86_400_000));
  await page.reload();
  await openDownloadTab(page);
  const row = page.locator(`tr[data-entry="${issued.id}"]`);
  await expect(row.getByTestId('next-step')).toContainText('Berakhir dalam 20 hari');
  const link = row.getByTestId('renewal-link');
  await expect(link).toHaveText('Buka halaman Permohonan Pembaruan di portal AMS');
  await shot(page, 'web', '16-h30-renewal-link');
  const before = await opened(page);
  await link.click();
  await expect.poll(() => opened(page)).toEqual([...before, `${amsUrl}/portal/certificates`]);

  // The channel itself refuses any page outside the configured AMS.
  const refused = await page.evaluate(async () => window.lock['app.openAmsPage']({ url: 'https://evil.example/portal/certificates' }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
  expect(await opened(page)).toHaveLength(before.length + 1);
});

async function opened(page: Page): Promise<string[]> {
  const response = await page.request.get('/__lock/test/opened', { headers: { 'x-lock-key': key } });
  expect(response.ok()).toBe(true);
  return (await response.json()) as string[];
}
