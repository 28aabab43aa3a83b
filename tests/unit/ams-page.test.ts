import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { requireAmsPage } from '../../src-main/services/ams-page';

describe('only AMS pages open in the system browser', () => {
  it('accepts pages under the configured AMS', () => {
    expect(requireAmsPage('http://127.0.0.1:4100/portal/certificates', 'http://127.0.0.1:4100')).toBe('http://127.0.0.1:4100/portal/certificates');
    expect(requireAmsPage('https://ams.bsre.go.id/ams/portal/certificates', 'https://ams.bsre.go.id/ams')).toBe('https://ams.bsre.go.id/ams/portal/certificates');
    expect(requireAmsPage('https://ams.bsre.go.id/ams', 'https://ams.bsre.go.id/ams')).toBe('https://ams.bsre.go.id/ams');
  });
  it.each([
    ['another host', 'https://evil.example/portal/certificates'],
    ['a look-alike host', 'https://ams.bsre.go.id.evil.example/ams/portal'],
    ['another port', 'https://ams.bsre.go.id:8443/ams/portal'],
    ['plain http for an https AMS', 'http://ams.bsre.go.id/ams/portal'],
    ['outside the base path', 'https://ams.bsre.go.id/amsx/portal'],
    ['a path climbing out', 'https://ams.bsre.go.id/ams/../admin'],
    ['user info', 'https://user:pw@ams.bsre.go.id/ams/portal'],
    ['a file URL', 'file:///etc/passwd'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['not a URL', 'portal/certificates'],
  ])('refuses %s', (_what, url) => {
    expect(() => requireAmsPage(url, 'https://ams.bsre.go.id/ams')).toThrow(AppError);
    try {
      requireAmsPage(url, 'https://ams.bsre.go.id/ams');
    } catch (error) {
      expect((error as AppError).code).toBe('URL_NOT_ALLOWED');
    }
  });
});
