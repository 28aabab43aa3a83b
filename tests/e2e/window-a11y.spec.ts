import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SHOTS, STRONG, useLanguage } from './flows';
import { expectNoAxeViolations, SIZES } from './window-support';

const key = process.env['LOCK_TEST_HOST_KEY']!;

/** axe on what is on screen now, then a screenshot at each of the sizes. */
async function audit(page: Page, lang: string, name: string): Promise<void> {
  await expectNoAxeViolations(page, `${lang} ${name}`);
  mkdirSync(SHOTS, { recursive: true });
  await page.bringToFront();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `screen-${lang}-${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(SIZES[0]);
}

const WORDS = {
  id: { request: 'Permintaan Sertifikat', download: 'Download Sertifikat Elektronik', bundle: 'Bundle p12', paste: '(1) Paste >>', cont: '(2) Lanjutkan >>', send: 'Bangkitkan dan Kirim', next: 'Lanjut', cancel: 'Batal' },
  en: { request: 'Certificate Request', download: 'Download Electronic Certificate', bundle: 'Bundle p12', paste: '(1) Paste >>', cont: '(2) Continue >>', send: 'Generate and send', next: 'Next', cancel: 'Cancel' },
} as const;

for (const lang of ['id', 'en'] as const) {
  test(`axe: every screen and dialog of the app in ${lang === 'id' ? 'Indonesian' : 'English'}, 0 violations; screenshots at 1366×768 and 800×600`, async ({ page }) => {
    // Long: a full walk with axe and two screenshots per screen, on a machine shared by many runs.
    test.setTimeout(900_000);
    const w = WORDS[lang];
    await page.setViewportSize(SIZES[0]);
    await page.goto(`/?key=${encodeURIComponent(key)}`);
    await useLanguage(page, lang);
    await page.reload();
    try {
      await expect(page.getByRole('tab', { name: w.request })).toHaveAttribute('aria-selected', 'true');
      await audit(page, lang, '01-request-empty');

      await page.getByTestId('token').fill('  "not a token!"  ');
      await page.getByRole('button', { name: w.cont }).click();
      await expect(page.getByTestId('error')).toBeVisible();
      await audit(page, lang, '02-error-dialog');
      await page.keyboard.press('Escape');

      await page.getByTestId('demo').click();
      await page.getByRole('button', { name: w.paste }).click();
      await page.getByRole('button', { name: w.cont }).click();
      await expect(page.getByTestId('employee').locator('[data-field=name]')).toHaveText('MAMAN');
      await audit(page, lang, '03-employee-data');

      await page.getByTestId('generate').click();
      await expect(page.getByTestId('usb-question')).toBeVisible();
      await audit(page, lang, '04-usb-question');
      await page.getByTestId('usb-question').getByRole('button', { name: 'No' }).click();

      const password = page.getByTestId('password');
      await password.getByTestId('password-input').fill('Jakarta2024');
      await password.getByTestId('password-confirm').fill('Jakarta2025');
      await expect(password.getByTestId('password-hint')).toBeVisible();
      await audit(page, lang, '05-password-weak-mismatch');
      await password.getByTestId('password-input').fill(STRONG);
      await password.getByTestId('password-confirm').fill(STRONG);
      await audit(page, lang, '06-password-strong');
      await password.getByRole('button', { name: w.send }).click();

      const success = page.getByTestId('success');
      await expect(success).toBeVisible({ timeout: 30_000 });
      await audit(page, lang, '07-success');
      await success.getByRole('button', { name: 'OK' }).click();

      await page.getByRole('tab', { name: w.download }).click();
      const row = page.getByTestId('ledger').locator('tbody tr').first();
      await expect(row.getByTestId('status')).toHaveAttribute('data-status', 'issued');
      await audit(page, lang, '08-download-tab');

      // The download dialogs, Bundle p12 and the portal pages are walked by the other specs;
      // their axe audit is listed as still missing in /work/notes/issue-13.md.
      await page.getByRole('tab', { name: w.bundle }).click();
      await expect(page.getByTestId('bundle-create')).toBeDisabled();
    } finally {
      await useLanguage(page, 'id');
    }
  });
}

