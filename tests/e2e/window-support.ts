import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SHOTS } from './flows';

/** axe-core on the whole page (and the open dialog in it): every rule, every impact, zero violations. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  // Violations only: axe skips building the (large) passes and incomplete lists, which keeps the walks fast.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe on ${where}`).toEqual([]);
}

/** Keyboard only: Tab (or Shift+Tab) until the target has focus; fails if it never does. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 40 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`focus never reached ${target.toString()}`);
}

/** Tabs around an open dialog in both directions; focus must stay inside it every time. */
export async function expectFocusTrapped(page: Page, dialog: Locator, presses = 10): Promise<void> {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press(key);
      expect(await dialog.evaluate((d) => d.contains(document.activeElement)), `${key} #${i + 1} left the dialog`).toBe(true);
    }
  }
}

export async function expectFocused(target: Locator): Promise<void> {
  await expect.poll(() => target.evaluate((el) => el === document.activeElement)).toBe(true);
}

/** WCAG contrast ratio between two computed CSS colours (rgb/rgba, alpha ignored). */
export function contrast(fg: string, bg: string): number {
  const lum = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

/** Hovers a button and returns the contrast of its text on its own background, from computed styles. */
export async function hoverContrast(page: Page, button: Locator): Promise<number> {
  await button.hover();
  await page.waitForTimeout(50);
  const { color, background } = await button.evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });
  return contrast(color, background);
}

export async function notifications(page: Page, key: string): Promise<{ kind: string; title: string; body: string; entryId: string }[]> {
  const response = await page.request.get('/__lock/test/notifications', { headers: { 'x-lock-key': key } });
  expect(response.ok()).toBe(true);
  return (await response.json()) as { kind: string; title: string; body: string; entryId: string }[];
}

/** Screenshots at the sizes the issue names. */
export const SIZES = [
  { width: 1366, height: 768 },
  { width: 800, height: 600 },
] as const;

/** axe on what is on screen now, then a screenshot at each of the sizes (test-results/screenshots/screen-<lang>-<name>-WxH.png). */
export async function audit(page: Page, lang: string, name: string): Promise<void> {
  await expectNoAxeViolations(page, `${lang} ${name}`);
  mkdirSync(SHOTS, { recursive: true });
  await page.bringToFront();
  const before = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `screen-${lang}-${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(before ?? SIZES[0]);
}
