import { expect, test, type Page } from '@playwright/test';
import { openDownloadTab, prepareDemoFileKeyRequest, shot, STRONG, useLanguage } from './flows';
import { mockAdmin } from './mock-admin';
import { expectFocused, expectFocusTrapped, hoverContrast, notifications, tabTo } from './window-support';

const key = process.env['LOCK_TEST_HOST_KEY']!;

test.beforeEach(async ({ page }) => {
  await page.goto(`/?key=${encodeURIComponent(key)}`);
  await expect(page.getByRole('tab', { name: 'Permintaan Sertifikat' })).toBeVisible();
});

/** A demo request up to the filled password dialog, started from tab 1 wherever the test is. */
async function prepare(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Permintaan Sertifikat' }).click();
  return prepareDemoFileKeyRequest(page);
}

/**
 * Sends the prepared request and returns its ledger row's entry id, found by its token as the
 * Download tab's token field does: the tab's first row may still be the list from before the send.
 */
async function sendPrepared(page: Page, token: string): Promise<string> {
  await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
  await expect(page.getByTestId('success').or(page.getByTestId('submit-failed'))).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'OK' }).click();
  const entryId = await page.evaluate(async (t) => {
    const result = await window.lock['download.findToken']({ token: t });
    return result.ok ? result.value.id : '';
  }, token);
  expect(entryId).not.toBe('');
  await openDownloadTab(page);
  await page.getByTestId('dl-refresh').click();
  await expect(row(page, entryId)).toBeVisible();
  return entryId;
}

const row = (page: Page, entryId: string) => page.locator(`tr[data-entry="${entryId}"]`);

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
  await expect(page.locator('#panel-download')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });

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

test('every status row says the truth and offers only what makes sense; issuance and rejection are notified', async ({ page, request }) => {
  test.setTimeout(600_000);
  const admin = await mockAdmin(request);
  await admin.autoApprove(false);
  try {
    // Sudah Upload → approved by the verifier: Terbit, Download offered, a notification.
    const token = await prepare(page);
    const approved = await sendPrepared(page, token);
    await expect(row(page, approved).getByTestId('status')).toHaveText('Sudah Upload');
    await expect(row(page, approved).getByTestId('next-step')).toContainText('unggah Surat Rekomendasi');
    await expect(row(page, approved).getByTestId('dl-button')).toHaveCount(0);
    await expect(row(page, approved).getByTestId('key-location')).toHaveText('File di komputer ini');
    const requestId = await page.evaluate(async (t) => {
      const result = await window.lock['request.lookup']({ token: t });
      return result.ok ? result.value.requestId : '';
    }, token);
    const before = (await notifications(page, key)).length;
    await admin.decide(requestId, 'approve');
    await page.getByTestId('dl-refresh').click();
    await expect(row(page, approved).getByTestId('status')).toHaveText('Terbit');
    await expect(row(page, approved).getByTestId('dl-button')).toBeVisible();
    await expect(row(page, approved).getByTestId('certificate')).toContainText('Berlaku sampai');
    await expect(page.getByTestId('dl-updated')).toContainText(/Diperbarui pukul \d\d[.:]\d\d \S+/);
    const issued = (await notifications(page, key)).slice(before);
    expect(issued).toEqual([expect.objectContaining({ kind: 'issued', entryId: approved, title: 'Sertifikat terbit' })]);
    await shot(page, 'web', '20-status-issued');

    // Rejected: no download, the note, the next step, a notification.
    const token2 = await prepare(page);
    const rejected = await sendPrepared(page, token2);
    const requestId2 = await page.evaluate(async (t) => {
      const result = await window.lock['request.lookup']({ token: t });
      return result.ok ? result.value.requestId : '';
    }, token2);
    await admin.decide(requestId2, 'reject', 'Surat rekomendasi tidak sesuai');
    await page.getByTestId('dl-refresh').click();
    await expect(row(page, rejected).getByTestId('status')).toHaveText('Ditolak');
    await expect(row(page, rejected).getByTestId('next-step')).toContainText('buat permohonan baru');
    await expect(row(page, rejected)).toContainText('Surat rekomendasi tidak sesuai');
    await expect(row(page, rejected).getByTestId('dl-button')).toHaveCount(0);
    expect((await notifications(page, key)).some((n) => n.kind === 'rejected' && n.entryId === rejected)).toBe(true);

    // Revoked in AMS: Dicabut, no download.
    const serial = (await row(page, approved).getByTestId('certificate').locator('code').textContent())!;
    await admin.revoke(serial);
    await page.getByTestId('dl-refresh').click();
    await expect(row(page, approved).getByTestId('status')).toHaveText('Dicabut');
    await expect(row(page, approved).getByTestId('dl-button')).toHaveCount(0);
    await shot(page, 'web', '21-status-rows');

    // A failed enrollment is not announced as success.
    await admin.autoApprove(true);
    await admin.enrollmentFails(true);
    await prepare(page);
    await page.getByTestId('password').getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();
    const failed = page.getByTestId('submit-failed');
    await expect(failed).toContainText('Enrollment gagal', { timeout: 30_000 });
    await expect(failed).toHaveAttribute('role', 'alertdialog');
    await expect(page.getByTestId('success')).toHaveCount(0);
    await shot(page, 'web', '22-enroll-failed');
    await failed.getByRole('button', { name: 'OK' }).click();
    await admin.enrollmentFails(false);
    await openDownloadTab(page);
    const enrollRow = page.getByTestId('ledger').locator('tbody tr').first();
    await expect(enrollRow.getByTestId('status')).toHaveText('Enrollment gagal');
    await expect(enrollRow.getByTestId('dl-button')).toHaveCount(0);

    // Expired (the mock's clock a year on): Kedaluwarsa, no download. A request of its own, issued at once.
    const fresh = await sendPrepared(page, await prepare(page));
    await expect(row(page, fresh).getByTestId('status')).toHaveText('Terbit');
    await admin.clock(400);
    try {
      await page.getByTestId('dl-refresh').click();
      await expect(row(page, fresh).getByTestId('status')).toHaveText('Kedaluwarsa');
      await expect(row(page, fresh).getByTestId('dl-button')).toHaveCount(0);
    } finally {
      await admin.clock(0);
    }
  } finally {
    await admin.autoApprove(true);
    await admin.enrollmentFails(false);
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
  await openDownloadTab(page);
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

test('Lanjutkan shows "Menghubungi AMS…" with Batal while AMS is slow', async ({ page, request }) => {
  test.setTimeout(180_000);
  const admin = await mockAdmin(request);
  const token = await page.evaluate(async () => {
    const result = await window.lock['demo.newRequest']({});
    return result.ok ? result.value.token : '';
  });
  await page.getByTestId('token').fill(token);
  await admin.faults({ latencyMs: 10_000 });
  try {
    await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
    const wait = page.getByTestId('lookup-wait');
    await expect(wait).toContainText('Menghubungi AMS…');
    await shot(page, 'web', '25-contacting-ams');
    await wait.getByRole('button', { name: 'Batal' }).click();
    await expect(wait).toContainText('Menunggu dibatalkan');
    await expectFocused(page.getByRole('button', { name: '(2) Lanjutkan >>' }));
    // The late answer is ignored: no employee data appears.
    await page.waitForTimeout(10_500);
    await expect(page.getByTestId('employee').locator('[data-field=name]')).toHaveText('—');
  } finally {
    await admin.faults({ latencyMs: 0 });
  }
});

test('Bundle p12 says why "Buat .p12" is disabled, shows where the file goes, takes a quoted path, picks the matching key, words OS errors plainly', async ({ page }) => {
  test.setTimeout(300_000);
  // A downloaded certificate to bundle (with its key kept by the app).
  const token = await prepareDemoFileKeyRequest(page);
  const entryId = await sendPrepared(page, token);
  await row(page, entryId).getByTestId('dl-button').click();
  await page.getByTestId('dl-question').getByRole('button', { name: 'No' }).click();
  await page.getByTestId('dl-password-input').fill(STRONG);
  await page.getByTestId('dl-password').getByRole('button', { name: 'Lanjut' }).click();
  await expect(page.getByTestId('dl-success')).toContainText('lolos uji tanda tangan', { timeout: 30_000 });
  const files = await page.getByTestId('dl-success').locator('code').allTextContents();
  await page.getByTestId('dl-success').getByRole('button', { name: 'OK' }).click();
  const pem = files.find((f) => f.endsWith('.pem'))!;

  await page.getByRole('tab', { name: 'Bundle p12' }).click();
  const create = page.getByTestId('bundle-create');
  const reasons = page.getByTestId('bundle-reasons');
  await expect(create).toBeDisabled();
  await expect(reasons.locator('li')).toHaveText(['file sertifikat diisi', 'passphrase lebih kuat dari 50% (sekarang 0%)', 'ulangan passphrase sama']);
  await expect(page.getByTestId('bundle-destination')).toContainText('File akan disimpan di:');
  await expect(page.getByTestId('bundle-destination')).not.toContainText('…');

  // A missing file: the OS error in plain words, the raw one behind Detail.
  await page.getByTestId('bundle-cert').fill('/tidak/ada/sertifikat.pem');
  await page.getByTestId('bundle-password').fill('Bundle#Pass2026');
  await page.getByTestId('bundle-password-confirm').fill('Bundle#Pass2026x');
  await expect(reasons.locator('li')).toHaveText(['ulangan passphrase sama']);
  await expect(page.getByTestId('bundle-password-confirm')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('bundle-password-confirm').fill('Bundle#Pass2026');
  await expect(reasons.locator('li')).toHaveCount(0);
  await expect(create).toBeEnabled();
  await create.click();
  const error = page.getByTestId('inline-error');
  await expect(error).toContainText('File atau folder itu tidak ada');
  await expect(error.locator('p')).not.toContainText('ENOENT');
  await error.getByText('Detail').click();
  await expect(error.getByTestId('error-detail')).toContainText('ENOENT');
  await shot(page, 'web', '26-bundle-plain-error');

  // "Copy as path" quotes are stripped; the key issued for this certificate is chosen by itself.
  await page.getByTestId('bundle-cert').fill(`"${pem}"`);
  const stored = page.getByTestId('bundle-stored-key');
  await expect(stored).toHaveValue(entryId);
  await expect(stored.locator('option:checked')).toContainText('cocok dengan sertifikat');
  await page.getByTestId('bundle-key-password').fill(STRONG);
  await create.click();
  await expect(page.getByTestId('bundle-done')).toContainText('.p12', { timeout: 30_000 });
  await shot(page, 'web', '27-bundle-done');
});
