import { describe, expect, it } from 'vitest';
import { normalizeServerUrl } from '../../src/domain/server-url';

describe('normalizeServerUrl', () => {
  it('gives one spelling to the ways people write one server', () => {
    const same = ['http://127.0.0.1:47315', 'http://127.0.0.1:47315/', 'HTTP://LOCALHOST:47315', 'http://localhost:47315//', ' http://localhost.:47315 '];
    for (const spelling of same) expect(normalizeServerUrl(spelling), spelling).toBe('http://127.0.0.1:47315');
    expect(normalizeServerUrl('https://AMS.bsre.id:443/')).toBe('https://ams.bsre.id');
    expect(normalizeServerUrl('http://ams.example:80/lock/')).toBe('http://ams.example/lock');
    expect(normalizeServerUrl('https://ams.example:80')).toBe('https://ams.example:80');
    expect(normalizeServerUrl('http://[::1]:8080/')).toBe('http://[::1]:8080');
    // Paths keep their case: servers may care.
    expect(normalizeServerUrl('http://h/Api/')).toBe('http://h/Api');
  });

  it('refuses what is not an http(s) base address, with a code', () => {
    for (const bad of ['', 'ams.bsre.id', 'ftp://h', 'http://', 'http://user:pw@h', 'http://h/?q=1', 'http://h/#x', 'http://h:0', 'http://h:70000', 'http://h h', '1http://h', '-http://h', 'x y://h']) {
      expect(() => normalizeServerUrl(bad), bad).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID' }));
    }
  });

  it('refuses a host that is only the root dot, naming the input (at most 200 characters of it)', () => {
    expect(() => normalizeServerUrl('http://.')).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID', detail: 'http://.' }));
    const long = `http://./${'a'.repeat(300)}`;
    expect(() => normalizeServerUrl(long)).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID', detail: long.slice(0, 200) }));
  });

  it('ports 1 to 65535', () => {
    expect(normalizeServerUrl('http://h:1')).toBe('http://h:1');
    expect(normalizeServerUrl('http://h:65535')).toBe('http://h:65535');
    expect(normalizeServerUrl('http://h:00080')).toBe('http://h');
    for (const bad of ['http://h:0', 'http://h:65536']) expect(() => normalizeServerUrl(bad), bad).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID' }));
  });

  it.each([
    ['not a URL', 'ams bsre id'],
    ['not http(s)', 'ftp://h'],
    ['a port out of range', 'http://h:70000'],
  ])('a refusal (%s) names the input as typed, at most 200 characters of it', (_why, bad) => {
    expect(() => normalizeServerUrl(bad)).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID', detail: bad }));
    const long = bad.includes(':') ? `${bad}/${'p'.repeat(300)}` : `${bad} ${'p'.repeat(300)}`;
    expect(() => normalizeServerUrl(long)).toThrow(expect.objectContaining({ code: 'SERVER_URL_INVALID', detail: long.slice(0, 200) }));
  });
});
