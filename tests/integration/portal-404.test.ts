import { describe, expect, it } from 'vitest';
import { useMockAms } from '../support/mock';

const fixture = useMockAms();

describe('unknown portal pages', () => {
  it('an unknown /portal/… path is an HTML 404 in the page’s language that leads back; API paths keep the JSON 404', async () => {
    for (const [cookie, lang, words] of [
      ['', 'id', 'Halaman tidak ditemukan'],
      ['ams_lang=en', 'en', 'Page not found'],
    ] as const) {
      const response = await fetch(`${fixture.mock.url}/portal/no/such/page`, { headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      const body = await response.text();
      expect(body).toContain(`<html lang="${lang}">`);
      expect(body).toContain(words);
      expect(body).toContain('href="/portal"');
    }
    const posted = await fetch(`${fixture.mock.url}/portal/nothing-here`, { method: 'POST' });
    expect(posted.status).toBe(404);
    expect(posted.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${fixture.mock.url}/api/lock/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    // A path that only starts like the portal is not part of it.
    expect((await fetch(`${fixture.mock.url}/portalx`)).headers.get('content-type')).toContain('json');
  });
});
