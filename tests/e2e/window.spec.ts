import { expect, test } from '@playwright/test';
import { prepareDemoFileKeyRequest, shot, STRONG, useLanguage } from './flows';
import { mockAdmin } from './mock-admin';
import { expectFocused, expectFocusTrapped, hoverContrast, tabTo } from './window-support';

const key = process.env['LOCK_TEST_HOST_KEY']!;

test.beforeEach(async ({ page }) => {
  await page.goto(`/?key=${encodeURIComponent(key)}`);
  await expect(page.getByRole('tab', { name: 'Permintaan Sertifikat' })).toBeVisible();
});

test('keyboard only: the whole No path and the download, focus never leaving an open dialog', async ({ page }) => {
  test.setTimeout(300_000);
  await tabTo(page, page.getByTestId('demo'));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Token demo disalin ke clipboard')).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: '(1) Paste >>' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: '(2) Lanjutkan >>' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('employee').locator('[data-field=name]')).toHaveText('MAMAN');

  const generate = page.getByTestId('generate');
  await tabTo(page, generate);
  await page.keyboard.press('Enter');
  const question = page.getByTestId('usb-question');
  await expect(question).toBeVisible();
  await expect(question).toHaveAttribute('role', 'alertdialog');
  await expectFocusTrapped(page, question);
  // Escape is Batal, and focus comes back to (3).
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expectFocused(generate);
  await page.keyboard.press('Enter');
  await expect(question).toBeVisible();
  await tabTo(page, question.getByRole('button', { name: 'No' }));
  await page.keyboard.press('Enter');

  const password = page.getByTestId('password');
  await expectFocused(password.getByTestId('password-input'));
  await page.keyboard.type(STRONG);
  await expectFocusTrapped(page, password);
  await tabTo(page, password.getByTestId('password-confirm'));
  await page.keyboard.type(STRONG);
  await page.keyboard.press('Enter');

  const success = page.getByTestId('success');
  await expect(success).toBeVisible({ timeout: 30_000 });
  await expectFocused(success.getByRole('button', { name: 'OK' }));
  await expectFocusTrapped(page, success, 3);
  await page.keyboard.press('Enter');
  await expect(success).toHaveCount(0);

  // The tablist: arrows move between tabs.
  await tabTo(page, page.getByRole('tab', { name: 'Permintaan Sertifikat' }), { back: true });
  await page.keyboard.press('ArrowRight');
  const downloadTab = page.getByRole('tab', { name: 'Download Sertifikat Elektronik' });
  await expect(downloadTab).toHaveAttribute('aria-selected', 'true');
  await expectFocused(downloadTab);

  const first = page.getByTestId('ledger').locator('tbody tr').first();
  await expect(first.getByTestId('status')).toHaveAttribute('data-status', 'issued');
  await tabTo(page, first.getByTestId('dl-button'));
  await page.keyboard.press('Enter');
  const dlQuestion = page.getByTestId('dl-question');
  // The answer this key needs is the focused default.
  await expectFocused(dlQuestion.getByRole('button', { name: 'No' }));
  await expectFocusTrapped(page, dlQuestion, 4);
  await tabTo(page, dlQuestion.getByRole('button', { name: 'No' }));
  await page.keyboard.press('Enter');

  const dlPassword = page.getByTestId('dl-password');
  await expectFocused(dlPassword.getByTestId('dl-password-input'));
  await page.keyboard.type('Salah#Password99');
  await page.keyboard.press('Enter');
  // A wrong passphrase: back in the dialog, the field marked invalid, focused, the error announced.
  const input = page.getByTestId('dl-password').getByTestId('dl-password-input');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expectFocused(input);
  await expect(page.getByTestId('dl-password').getByRole('alert')).toContainText('Password kunci salah');
  await page.keyboard.type(STRONG);
  await page.keyboard.press('Enter');

  const dlSuccess = page.getByTestId('dl-success');
  await expect(dlSuccess).toContainText('lolos uji tanda tangan', { timeout: 30_000 });
  await expectFocused(dlSuccess.getByRole('button', { name: 'OK' }));
  await expectFocusTrapped(page, dlSuccess, 4);
  await tabTo(page, dlSuccess.getByRole('button', { name: 'OK' }));
  await page.keyboard.press('Enter');
  await expect(first.getByTestId('status')).toHaveAttribute('data-status', 'downloaded');
});

test('primary buttons keep a contrast of at least 4.5:1 when hovered', async ({ page }) => {
  test.setTimeout(180_000);
  await page.getByTestId('token').fill('  "not a token!"  ');
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  const ok = page.getByTestId('error').getByRole('button', { name: 'OK' });
  expect(await hoverContrast(page, ok)).toBeGreaterThanOrEqual(4.5);
  await ok.click();

  await prepareDemoFileKeyRequest(page);
  const send = page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' });
  expect(await hoverContrast(page, send)).toBeGreaterThanOrEqual(4.5);
  await page.getByTestId('password').getByRole('button', { name: 'Batal' }).click();
  const generate = page.getByTestId('generate');
  await expect(generate).toBeEnabled();
  expect(await hoverContrast(page, generate)).toBeGreaterThanOrEqual(4.5);
  // And the secondary buttons.
  expect(await hoverContrast(page, page.getByRole('button', { name: 'Keluar' }))).toBeGreaterThanOrEqual(4.5);
});

test('the language is remembered across a reload', async ({ page }) => {
  await page.getByTestId('lang').click();
  try {
    await expect(page.getByRole('tab', { name: 'Certificate Request' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Certificate Request' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByTestId('lang').click();
    await expect(page.getByRole('tab', { name: 'Permintaan Sertifikat' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Permintaan Sertifikat' })).toBeVisible();
  } finally {
    await useLanguage(page, 'id');
  }
});

test('after "Token sudah kedaluwarsa" (3) is no longer offered; the wrong storage answer is explained, not failed', async ({ page, request }) => {
  test.setTimeout(180_000);
  const admin = await mockAdmin(request);
  const token = await page.evaluate(async () => {
    const result = await window.lock['demo.newRequest']({});
    return result.ok ? result.value.token : '';
  });
  await page.getByTestId('token').fill(token);
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('generate')).toBeEnabled();
  const requestId = await page.evaluate(async (t) => {
    const result = await window.lock['request.lookup']({ token: t });
    return result.ok ? result.value.requestId : '';
  }, token);
  await admin.expireToken(requestId);
  await page.getByTestId('generate').click();
  await page.getByTestId('usb-question').getByRole('button', { name: 'No' }).click();
  await page.getByTestId('password-input').fill(STRONG);
  await page.getByTestId('password-confirm').fill(STRONG);
  await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
  await expect(page.getByTestId('error')).toContainText('Token sudah kedaluwarsa', { timeout: 30_000 });
  await page.getByTestId('error').getByRole('button', { name: 'OK' }).click();
  await expect(page.getByTestId('token-blocked')).toContainText('Token sudah kedaluwarsa');
  await expect(page.getByTestId('generate')).toBeDisabled();
  await shot(page, 'web', '23-token-expired');

  // Download tab: a file key answered with Yes is explained in the question, No focused.
  await page.getByRole('tab', { name: 'Download Sertifikat Elektronik' }).click();
  const issuedRow = page.getByTestId('ledger').locator('tbody tr').filter({ has: page.locator('[data-status=issued], [data-status=downloaded]') }).first();
  await issuedRow.getByTestId('dl-button').click();
  const dlQuestion = page.getByTestId('dl-question');
  await dlQuestion.getByRole('button', { name: 'Yes' }).click();
  await expect(dlQuestion.getByTestId('question-hint')).toContainText('disimpan sebagai file');
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expectFocused(dlQuestion.getByRole('button', { name: 'No' }));
  await shot(page, 'web', '24-question-explained');
  await page.keyboard.press('Escape');
  await expect(dlQuestion).toHaveCount(0);
});
