import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDownloadTab, shot, useLanguage } from './flows';
import { audit } from './window-support';

const key = process.env['LOCK_TEST_HOST_KEY']!;
const conf = process.env['LOCK_E2E_SOFTHSM_CONF'] ?? '';

test.skip(!conf, 'SKIPPED: SoftHSM2 (softhsm2-util) is not installed; CI installs it and runs these');

async function requestUpToQuestion(page: Page): Promise<void> {
  await page.goto(`/?key=${encodeURIComponent(key)}`);
  await page.getByTestId('demo').click();
  await expect(page.getByText('Token demo disalin ke clipboard')).toBeVisible();
  await page.getByRole('button', { name: '(1) Paste >>' }).click();
  await page.getByRole('button', { name: '(2) Lanjutkan >>' }).click();
  await expect(page.getByTestId('employee').locator('[data-field=name]')).toHaveText('MAMAN');
  await page.getByTestId('generate').click();
  await page.getByTestId('usb-question').getByRole('button', { name: 'Yes' }).click();
}

/** The first test's certificate serial, for the removal test after it (serial mode). */
let firstSerial = '';

// Token key generation on SoftHSM2 is slow on a machine shared by many runs.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

test('Yes: driver → token → PIN (wrong, then right) → key on the token → CSR sent → issued', async ({ page }) => {
  await requestUpToQuestion(page);

  // Choose the driver (the first time, or through "Ganti driver" when one is remembered).
  // A path typed by hand is refused (only the list or the system file dialog) and the dialog stays open.
  const driver = page.getByTestId('driver');
  const remembered = page.getByTestId('token-picker');
  await expect(driver.or(remembered)).toBeVisible();
  if (await remembered.isVisible()) await remembered.getByRole('button', { name: 'Ganti driver' }).click();
  await expect(driver).toContainText('SoftHSM2 (QA / testing)');
  await shot(page, 'web', '20-token-driver');
  await driver.getByTestId('driver-path').fill('/nonexistent/libtoken.so');
  await driver.getByRole('button', { name: 'Lanjut' }).click();
  await expect(driver.getByTestId('inline-error')).toContainText('Driver token hanya dapat dipilih dari daftar driver yang ditemukan');
  await shot(page, 'web', '21-token-driver-error');
  await driver.getByRole('radio', { name: /SoftHSM2/ }).check();
  await driver.getByRole('button', { name: 'Lanjut' }).click();

  const picker = page.getByTestId('token-picker');
  await expect(picker).toContainText('ST3');
  await expect(picker).toContainText('SPARE');
  await expect(picker).toContainText('SoftHSM project');
  // One token is preselected; the user picks ST3.
  await expect(picker.getByRole('radio', { checked: true })).toHaveCount(1);
  await picker.getByRole('radio', { name: 'ST3' }).check();
  await expect(picker.getByTestId('key-bits')).toHaveValue('2048');
  await shot(page, 'web', '22-token-picker');

  // Pulling the spare token out: the open list follows. (SoftHSM2 keeps each
  // token in a folder whose token.object holds its label.)
  const tokensDir = path.join(path.dirname(conf), 'tokens');
  const spareDir = readdirSync(tokensDir).find((dir) => readFileSync(path.join(tokensDir, dir, 'token.object')).includes('SPARE'));
  expect(spareDir).toBeDefined();
  rmSync(path.join(tokensDir, spareDir!), { recursive: true });
  await expect(picker.locator('tr', { hasText: 'SPARE' })).toHaveCount(0, { timeout: 10_000 });
  await picker.getByRole('button', { name: 'Lanjut' }).click();

  const pin = page.getByTestId('pin');
  await expect(pin).toContainText('ST3');
  await pin.getByTestId('pin-input').fill('000000');
  await shot(page, 'web', '23-token-pin');
  await pin.getByRole('button', { name: 'Lanjut' }).click();
  await expect(page.getByTestId('pin').getByTestId('inline-error')).toContainText('PIN token salah');
  await shot(page, 'web', '24-token-pin-wrong');
  await page.getByTestId('pin').getByTestId('pin-input').fill('123456');
  await page.getByTestId('pin').getByRole('button', { name: 'Lanjut' }).click();

  const success = page.getByTestId('success');
  await expect(success).toContainText('CSR berhasil dikirim', { timeout: 60_000 });
  await expect(success).toContainText('Sertifikat sudah diterbitkan');
  await shot(page, 'web', '25-token-success');
  await success.getByRole('button', { name: 'OK' }).click();

  // Tab 2: the certificate goes onto the token beside its key.
  await openDownloadTab(page);
  const row = page.getByTestId('ledger').locator('tbody tr').first();
  await expect(row).toContainText('USB Token ST3');
  await expect(row.getByTestId('status')).toHaveText('Terbit');
  await shot(page, 'web', '26-token-ledger');
  await row.getByTestId('dl-button').click();
  await page.getByTestId('dl-question').getByRole('button', { name: 'Yes' }).click();
  await page.getByTestId('pin').getByTestId('pin-input').fill('123456');
  await page.getByTestId('pin').getByRole('button', { name: 'Lanjut' }).click();
  const done = page.getByTestId('dl-success');
  await expect(done).toContainText('disimpan di USB token', { timeout: 30_000 });
  await shot(page, 'web', '27-token-download');
  const listed = spawnSync('pkcs11-tool', ['--module', '/usr/lib/softhsm/libsofthsm2.so', '--list-objects', '--type', 'cert'], {
    encoding: 'utf8',
    env: { ...process.env, SOFTHSM2_CONF: conf },
  });
  expect(listed.stdout).toContain('Certificate Object');
  expect(listed.stdout).toMatch(/label:\s+LOCK MAMAN/);

  // The real-use self-test in words; then the token's certificates: the current one and the CA's, none to remove.
  await expect(done.getByTestId('real-use-chain')).toContainText('terverifikasi sampai CA root');
  await expect(done.getByTestId('real-use-revocation')).toContainText('baik (tidak dicabut)');
  await done.getByRole('button', { name: 'OK' }).click();
  firstSerial = (await row.getByTestId('certificate').locator('code').textContent()) ?? '';
  await row.getByTestId('token-certs-open').click();
  const certs = page.getByTestId('token-certs');
  const own = certs.locator('tbody tr', { hasText: firstSerial });
  await expect(own).toHaveAttribute('data-state', 'current');
  await expect(own.getByTestId('token-cert-remove')).toHaveCount(0);
  await expect(certs.getByTestId('token-cert-state').filter({ hasText: 'Sertifikat CA' })).toHaveCount(2);
  await certs.getByRole('button', { name: 'OK' }).click();
});

test('a renewal-like second certificate on the same token: the first is "replaced" and removed with its key after confirmation and PIN', async ({ page }) => {
  await requestUpToQuestion(page);
  const picker = page.getByTestId('token-picker');
  await picker.getByRole('radio', { name: 'ST3' }).check();
  await picker.getByRole('button', { name: 'Lanjut' }).click();
  await page.getByTestId('pin').getByTestId('pin-input').fill('123456');
  await page.getByTestId('pin').getByRole('button', { name: 'Lanjut' }).click();
  await expect(page.getByTestId('success')).toContainText('CSR berhasil dikirim', { timeout: 60_000 });
  await page.getByTestId('success').getByRole('button', { name: 'OK' }).click();
  await openDownloadTab(page);
  const row = page.getByTestId('ledger').locator('tbody tr').first();
  await expect(row.getByTestId('status')).toHaveAttribute('data-status', 'issued');
  await row.getByTestId('dl-button').click();
  await page.getByTestId('dl-question').getByRole('button', { name: 'Yes' }).click();
  await page.getByTestId('pin').getByTestId('pin-input').fill('123456');
  await page.getByTestId('pin').getByRole('button', { name: 'Lanjut' }).click();
  await expect(page.getByTestId('dl-success')).toContainText('disimpan di USB token', { timeout: 30_000 });
  await page.getByTestId('dl-success').getByRole('button', { name: 'OK' }).click();

  await row.getByTestId('token-certs-open').click();
  const certs = page.getByTestId('token-certs');
  // The first test's certificate: a newer one of the same holder is on the token now.
  const replaced = certs.locator('tbody tr', { hasText: firstSerial });
  await expect(replaced).toHaveAttribute('data-state', 'replaced');
  await expect(replaced).toContainText(/MAMAN \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d replaced/);
  const newSerial = (await row.getByTestId('certificate').locator('code').textContent()) ?? '';
  await expect(certs.locator('tbody tr', { hasText: newSerial })).toHaveAttribute('data-state', 'current');
  await expect(certs.locator('tbody tr', { hasText: newSerial }).getByTestId('token-cert-remove')).toHaveCount(0);
  await shot(page, 'web', '28-token-certificates');
  // Each state of the dialog through axe, with screenshots at both sizes (window-support's audit).
  await audit(page, 'id', '23-token-certificates');
  const before = tokenObjects();
  await replaced.getByTestId('token-cert-remove').click();
  const confirm = page.getByTestId('token-certs-confirm');
  await expect(confirm).toContainText('tidak dapat dibatalkan');
  await expect(confirm).toContainText('Kunci privat dan kunci publiknya juga dihapus');
  await audit(page, 'id', '24-token-certificates-confirm');
  await confirm.getByTestId('token-certs-confirm-yes').click();
  const pin = page.getByTestId('token-certs-pin');
  await pin.getByTestId('token-certs-pin-input').fill('000000');
  await pin.getByRole('button', { name: 'Hapus dari token' }).click();
  await expect(pin.getByTestId('inline-error')).toContainText('PIN token salah');
  await audit(page, 'id', '25-token-certificates-pin-wrong');
  await pin.getByTestId('token-certs-pin-input').fill('123456');
  await pin.getByRole('button', { name: 'Hapus dari token' }).click();
  await expect(page.getByTestId('token-certs-removed')).toContainText('dihapus dari token');
  await audit(page, 'id', '26-token-certificates-removed');
  await page.getByTestId('token-certs-removed').getByRole('button', { name: 'OK' }).click();

  // The same list in English.
  await useLanguage(page, 'en');
  try {
    await page.reload();
    await page.getByRole('tab', { name: /Download/ }).click();
    await page.getByTestId('ledger').locator('tbody tr').first().getByTestId('token-certs-open').click();
    await expect(page.getByTestId('token-certs-table')).toBeVisible();
    await audit(page, 'en', '23-token-certificates');
    await page.keyboard.press('Escape');
  } finally {
    await useLanguage(page, 'id');
  }

  // Read back with pkcs11-tool: exactly one certificate and one key pair fewer; the first serial is gone, the new one stays.
  const after = tokenObjects();
  expect(after.certificates).toBe(before.certificates - 1);
  expect(after.privateKeys).toBe(before.privateKeys - 1);
  expect(after.publicKeys).toBe(before.publicKeys - 1);
  // pkcs11-tool prints CKA_SERIAL_NUMBER, the DER INTEGER: the serial's digits end it.
  expect(after.serials.filter((s) => s.endsWith(firstSerial.toLowerCase()))).toEqual([]);
  expect(after.serials.filter((s) => s.endsWith(newSerial.toLowerCase()))).toHaveLength(1);
  expect(before.serials.filter((s) => s.endsWith(firstSerial.toLowerCase()))).toHaveLength(1);
});

/** The token's objects as pkcs11-tool lists them (logged in): counts, and certificate serials in lower-case hex. */
function tokenObjects() {
  const listed = spawnSync('pkcs11-tool', ['--module', '/usr/lib/softhsm/libsofthsm2.so', '--login', '--pin', '123456', '--list-objects'], {
    encoding: 'utf8',
    env: { ...process.env, SOFTHSM2_CONF: conf },
  }).stdout;
  const count = (kind: string) => listed.split('\n').filter((line) => line.startsWith(kind)).length;
  return {
    certificates: count('Certificate Object'),
    privateKeys: count('Private Key Object'),
    publicKeys: count('Public Key Object'),
    serials: [...listed.matchAll(/serial:\s+([0-9A-Fa-f]+)/g)].map((m) => m[1]!.toLowerCase()),
  };
}

test('the driver chosen before is remembered: straight to the token picker', async ({ page }) => {
  await requestUpToQuestion(page);
  await expect(page.getByTestId('token-picker')).toContainText('ST3');
  await page.getByTestId('token-picker').getByRole('button', { name: 'Ganti driver' }).click();
  await expect(page.getByTestId('driver')).toBeVisible();
});
