import { describe, expect, it } from 'vitest';
import { proxyFromEnv, proxyFromPacResult, resolveAmsNetwork } from '../../src-main/services/network';

describe('proxy for AMS', () => {
  it("reads Electron's resolveProxy answer (PAC syntax)", () => {
    expect(proxyFromPacResult('DIRECT')).toBeUndefined();
    expect(proxyFromPacResult('PROXY proxy.kantor:8080; DIRECT')).toBe('http://proxy.kantor:8080');
    expect(proxyFromPacResult('HTTPS secure.kantor:443')).toBe('https://secure.kantor:443');
    expect(proxyFromPacResult('SOCKS5 s:1080; PROXY p:3128')).toBe('http://p:3128');
    expect(proxyFromPacResult('')).toBeUndefined();
  });

  it('HTTPS_PROXY / HTTP_PROXY, either case, NO_PROXY winning as curl reads it', () => {
    const env = { HTTPS_PROXY: 'http://p:3128', http_proxy: 'q:8080' };
    expect(proxyFromEnv('https://ams.bssn.go.id', env)).toBe('http://p:3128');
    expect(proxyFromEnv('http://ams.bssn.go.id', env)).toBe('http://q:8080');
    expect(proxyFromEnv('https://ams.bssn.go.id', { ...env, NO_PROXY: 'localhost,.go.id' })).toBeUndefined();
    expect(proxyFromEnv('https://ams.bssn.go.id', { ...env, no_proxy: 'bssn.go.id' })).toBeUndefined();
    expect(proxyFromEnv('https://ams.bssn.go.id', { ...env, NO_PROXY: 'bssn.go.id:8443' })).toBe('http://p:3128');
    expect(proxyFromEnv('https://notbssn.go.id', { ...env, NO_PROXY: 'bssn.go.id' })).toBe('http://p:3128');
    expect(proxyFromEnv('https://ams.bssn.go.id', { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFromEnv('https://ams.bssn.go.id', {})).toBeUndefined();
  });

  it('settings: system by default, manual, none; the OS store only for HTTPS and only when trusted', async () => {
    const systemCa = () => ['PEM'];
    const resolveSystemProxy = async () => 'http://sys:8080';
    expect(await resolveAmsNetwork('https://a', {}, { resolveSystemProxy, systemCa })).toEqual({ proxyUrl: 'http://sys:8080', extraCa: ['PEM'] });
    expect(await resolveAmsNetwork('https://a', { proxyMode: 'manual', proxyUrl: 'http://m:1' }, { resolveSystemProxy, systemCa })).toEqual({ proxyUrl: 'http://m:1', extraCa: ['PEM'] });
    expect(await resolveAmsNetwork('https://a', { proxyMode: 'none', trustSystemCa: false }, { resolveSystemProxy, systemCa })).toEqual({});
    expect(await resolveAmsNetwork('http://a', { proxyMode: 'none' }, { systemCa })).toEqual({});
    expect(await resolveAmsNetwork('https://a', {}, { env: { HTTPS_PROXY: 'http://e:2' }, systemCa: () => [] })).toEqual({ proxyUrl: 'http://e:2' });
  });
});
