import { describe, expect, it } from 'vitest';
import { chooseChromium, DEBIAN_CHROMIUM } from '../support/browser';

const PW = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';

describe('which Chromium npm test uses', () => {
  it('CHROMIUM_PATH always wins', () => {
    expect(chooseChromium({ CHROMIUM_PATH: '/opt/c' }, PW, () => true)).toEqual({ executablePath: '/opt/c', source: 'CHROMIUM_PATH' });
  });
  it("Playwright's own Chromium where it is installed", () => {
    expect(chooseChromium({}, PW, (f) => f === PW || f === DEBIAN_CHROMIUM)).toEqual({ executablePath: undefined, source: 'playwright' });
  });
  it("Debian's Chromium elsewhere", () => {
    expect(chooseChromium({}, PW, (f) => f === DEBIAN_CHROMIUM)).toEqual({ executablePath: DEBIAN_CHROMIUM, source: 'debian' });
  });
  it('none: said so by the config', () => {
    expect(chooseChromium({}, PW, () => false).source).toBe('none');
  });
});
