import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium the `web` project runs: CHROMIUM_PATH always wins; otherwise
 * Playwright's own build where `npx playwright install chromium` could install
 * it (CI on Windows, macOS, Ubuntu); otherwise Debian's /usr/bin/chromium (our
 * machines, which cannot download Playwright's browsers). `undefined` lets
 * Playwright use its own build.
 */
export function chooseChromium(
  env: NodeJS.ProcessEnv,
  playwrightChromium: string,
  exists: (file: string) => boolean = existsSync,
): { executablePath: string | undefined; source: 'CHROMIUM_PATH' | 'playwright' | 'debian' | 'none' } {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv) return { executablePath: fromEnv, source: 'CHROMIUM_PATH' };
  if (exists(playwrightChromium)) return { executablePath: undefined, source: 'playwright' };
  if (exists(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: 'debian' };
  return { executablePath: undefined, source: 'none' };
}
