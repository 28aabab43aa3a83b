import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const STRONG = 'Kunci#Rahasia2026';
export const SHOTS = path.resolve('test-results', 'screenshots');

/** Saves a full-window screenshot as test-results/screenshots/<project>-<name>.png. */
export async function shot(page: Page, project: string, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // With two pages open (portal and app), only the one in front can be captured; Chromium may
  // refuse while it is still switching ("Unable to capture screenshot"): try again, three times at most.
  for (let attempt = 1; ; attempt++) {
    await page.bringToFront();
    try {
      await page.screenshot({ path: path.join(SHOTS, `${project}-${name}.png`) });
      return;
    } catch (error) {
      if (attempt === 3 || !String(error).includes('Unable to capture screenshot')) throw error;
      await page.waitForTimeout(500);
    }
  }
}

/**
 * The whole first tab as a user does it: demo request → Paste → Lanjutkan →
 * No (file key) → password → progress → success, then the request in tab 2.
 */
export async function requestWithFileKey(page: Page, project: string): Promise<void> {
  await expect(page.getByRole('tab', { name: 'Permintaan Sertifikat' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('generate')).toBeDisabled();
  await shot(page, project, '01-start');

  await page.getByTestId('demo').click();
  await expect(page.getByText('Token demo disalin ke clipboard')).toBeVisible();
  await page.getByRole('button', { name: '(1) Paste >>' }).click();
  await expect(page.getByTestId('token')).not.toHaveValue('');
  await shot(page, project, '02-pasted');

  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  const employee = page.getByTestId('employee');
  await expect(employee.locator('[data-field=name]')).toHaveText('MAMAN');
  await expect(employee.locator('[data-field=email]')).toHaveText('maman@instansi.go.id');
  await expect(employee.locator('[data-field=unit]')).toHaveText('BIDANG OPERASIONAL');
  await expect(employee.locator('[data-field=country]')).toHaveText('ID');
  await expect(page.getByTestId('generate')).toBeEnabled();
  await shot(page, project, '03-employee-data');

  await page.getByTestId('generate').click();
  await expect(page.getByTestId('usb-question')).toContainText('Apakah Anda menggunakan USB Token (Secure Token ST3)');
  await shot(page, project, '04-usb-question');
  await page.getByTestId('usb-question').getByRole('button', { name: 'No' }).click();

  const dialog = page.getByTestId('password');
  await dialog.getByTestId('password-input').fill('password1');
  await dialog.getByTestId('password-confirm').fill('password1');
  await expect(dialog.getByTestId('strength')).toContainText('%');
  await expect(dialog.getByRole('button', { name: 'Bangkitkan dan Kirim' })).toBeDisabled();
  await expect(dialog.getByTestId('password-hint')).toContainText('lebih dari 50%');
  await shot(page, project, '05-password-weak');
  await dialog.getByTestId('password-input').fill(STRONG);
  await dialog.getByTestId('password-confirm').fill(`${STRONG}x`);
  await expect(dialog.getByText('Password dan ulangan tidak sama.')).toBeVisible();
  await dialog.getByTestId('password-confirm').fill(STRONG);
  await expect(dialog.getByTestId('password-hint')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Bangkitkan dan Kirim' })).toBeEnabled();
  await shot(page, project, '06-password-strong');
  await dialog.getByRole('button', { name: 'Bangkitkan dan Kirim' }).click();

  const success = page.getByTestId('success');
  await expect(success).toContainText('CSR berhasil dikirim', { timeout: 30_000 });
  await expect(success).toContainText('Sertifikat sudah diterbitkan');
  await shot(page, project, '07-success');
  await success.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByTestId('already-used')).toContainText('Terbit');
  await expect(page.getByTestId('generate')).toBeDisabled();

}

/**
 * Opens the Download tab and waits for the refresh that opening it starts: until it lands the tab
 * shows the list it had, so its first row may still be an older request.
 */
export async function openDownloadTab(page: Page): Promise<void> {
  await page.locator('#tab-download').click();
  await expect(page.locator('#panel-download')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
}

/** Tab 2 for the newest request: No (file key) → passphrase (wrong, then right) → .pem and .p12. */
export async function downloadWithFileKey(page: Page, project: string): Promise<{ pem: string; p12: string }> {
  await openDownloadTab(page);
  const row = page.getByTestId('ledger').locator('tbody tr').first();
  await expect(row).toContainText('MAMAN');
  await expect(row.getByTestId('status')).toHaveAttribute('data-status', 'issued');
  await shot(page, project, '08-download-tab');
  await row.getByTestId('dl-button').click();

  const question = page.getByTestId('dl-question');
  await expect(question).toContainText('Kunci permintaan ini: File.');
  await shot(page, project, '09-download-question');
  await question.getByRole('button', { name: 'No' }).click();
  const passphrase = page.getByTestId('dl-password');
  await passphrase.getByTestId('dl-password-input').fill('Salah#Password99');
  await passphrase.getByRole('button', { name: 'Lanjut' }).click();
  await expect(page.getByTestId('dl-password').getByTestId('inline-error')).toContainText('Password kunci salah');
  await page.getByTestId('dl-password').getByTestId('dl-password-input').fill(STRONG);
  await page.getByTestId('dl-password').getByRole('button', { name: 'Lanjut' }).click();

  const success = page.getByTestId('dl-success');
  await expect(success).toContainText('lolos uji tanda tangan', { timeout: 30_000 });
  const files = await success.locator('code').allTextContents();
  await shot(page, project, '10-download-success');
  await success.getByRole('button', { name: 'OK' }).click();
  await expect(row.getByTestId('status')).toContainText('sudah diunduh');
  const pem = files.find((f) => f.endsWith('.pem'))!;
  const p12 = files.find((f) => f.endsWith('.p12'))!;
  expect(pem).toMatch(/MAMAN_[0-9A-F]{16}\.pem$/);
  return { pem, p12 };
}

/** A demo request typed into tab 1 up to the filled password dialog; the caller presses send. Returns the token. */
export async function prepareDemoFileKeyRequest(page: Page): Promise<string> {
  const token = await page.evaluate(async () => {
    const result = await window.lock['demo.newRequest']({});
    return result.ok ? result.value.token : '';
  });
  await page.getByTestId('token').fill(token);
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await page.getByTestId('generate').click();
  await page.getByRole('button', { name: 'No' }).click();
  await page.getByTestId('password-input').fill(STRONG);
  await page.getByTestId('password-confirm').fill(STRONG);
  return token;
}

/** Sets the remembered language through the contract (as the title-bar switch does). */
export async function useLanguage(page: Page, lang: 'id' | 'en'): Promise<void> {
  await page.evaluate(async (l) => {
    await window.lock['app.setLanguage']({ lang: l });
  }, lang);
}
