import { expect, test, type APIRequestContext } from '@playwright/test';
import { requestWithFileKey, shot } from './flows';

const key = process.env['LOCK_TEST_HOST_KEY']!;

test.beforeEach(async ({ page }) => {
  await page.goto(`/?key=${encodeURIComponent(key)}`);
});

test('paste → continue → data → No → password → sent → issued', async ({ page }) => {
  await requestWithFileKey(page, 'web');
});

async function setFaults(request: APIRequestContext, faults: Record<string, number>): Promise<void> {
  const response = await request.post('/__lock/test/mock-faults', { headers: { 'x-lock-key': key }, data: faults });
  expect(response.ok()).toBe(true);
}

test('the progress dialog shows each step while the key is made and sent', async ({ page, request }) => {
  const token = await page.evaluate(async () => {
    const result = await window.lock['demo.newRequest']({});
    return result.ok ? result.value.token : '';
  });
  await page.getByTestId('token').fill(token);
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await page.getByTestId('generate').click();
  await page.getByRole('button', { name: 'No' }).click();
  await page.getByTestId('password-input').fill('Kunci#Rahasia2026');
  await page.getByTestId('password-confirm').fill('Kunci#Rahasia2026');
  // A slow AMS keeps the dialog on screen long enough to watch the steps advance.
  await setFaults(request, { latencyMs: 1500 });
  try {
    await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
    const progress = page.getByTestId('progress');
    await expect(progress.locator('[data-state=active]')).toHaveText('Memeriksa token di AMS');
    await expect(progress.locator('[data-state=active]')).toHaveText('Mengirim CSR ke AMS', { timeout: 20_000 });
    await expect(progress.locator('[data-state=done]')).toHaveCount(3);
    await shot(page, 'web', '06b-progress');
    await expect(page.getByTestId('success')).toBeVisible({ timeout: 30_000 });
  } finally {
    await setFaults(request, { latencyMs: 0 });
  }
});

test('bad tokens get their own clear messages, in Indonesian and English', async ({ page }) => {
  await page.getByTestId('token').fill('  "not a token!"  ');
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('error')).toContainText('Token tidak dikenali formatnya');
  await shot(page, 'web', '10-error-malformed');
  await page.getByRole('button', { name: 'OK' }).click();

  await page.getByTestId('token').fill('ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ');
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('error')).toContainText('Token tidak ditemukan di AMS');
  await page.getByRole('button', { name: 'OK' }).click();

  await page.getByTestId('lang').click();
  await expect(page.getByRole('tab', { name: 'Certificate Request' })).toBeVisible();
  await page.getByRole('button', { name: '(2) Continue >>' }).click();
  await expect(page.getByTestId('error')).toContainText('AMS does not know this token');
  await shot(page, 'web', '11-error-unknown-en');
});
