import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApp, type ComposedApp } from '../../src-main/compose';
import type { EmbeddedMock } from '../../src-main/mock-ams/mock-thread';
import type { Core, ShellPorts } from '../../src-main/services/core';
import { AmsClient } from '../../src-main/services/ams-client';
import { resolveAmsNetwork } from '../../src-main/services/network';
import { startConnectProxy } from '../support/connect-proxy';
import { useMockAms } from '../support/mock';
import { run, tempDir } from '../support/tools';

/**
 * An office network on loopback: the real mock AMS behind an HTTPS front whose
 * certificate comes from an "office" CA that only the OS-store stand-in trusts
 * (as a TLS-inspecting proxy's CA is installed on office PCs), and a real
 * CONNECT proxy. Settings are saved through the settings store and read by a
 * core started afterwards, as the app does on its next start.
 */
const fixture = useMockAms({ autoApprove: true });
let dir: string;
let cleanup: () => Promise<void>;
let officeCa: string;
let front: https.Server;
let frontUrl: string;
/** TCP connections the HTTPS front accepted: one per attempt, through the proxy or not. */
let frontConnections = 0;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
const cores: ComposedApp[] = [];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lock-office-'));
  const f = (name: string) => path.join(dir, name);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Office TLS Inspection CA']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ams.key'), '-out', f('ams.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', f('ams.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('ams.pem'), '-days', '2', '-extfile', f('ext.cnf')]);
  officeCa = await readFile(f('ca.pem'), 'utf8');
  // TLS in front of the real mock AMS.
  const upstream = new URL(fixture.mock.url);
  front = https.createServer({ key: await readFile(f('ams.key')), cert: await readFile(f('ams.pem')) }, (req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  front.on('connection', () => (frontConnections += 1));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
  proxy = await startConnectProxy();
}, 60_000);

afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await proxy.close();
  await new Promise((resolve) => front.close(resolve));
  await cleanup();
});

const ports = (extra: Partial<ShellPorts> = {}): ShellPorts => ({ readClipboard: () => '', writeClipboard: () => {}, quit: () => {}, ...extra });
const osStore = () => [officeCa];
const frontHost = () => new URL(frontUrl).host;

/** The app as a shell composes it: the embedded mock only when no AMS is set, then the core. */
async function core(name: string, options: { amsUrl?: string; ports?: Partial<ShellPorts>; systemCa?: () => string[] } = {}): Promise<Core & { mock: EmbeddedMock | undefined }> {
  const app = await composeApp({ dataDir: path.join(dir, name), version: '0.0.0-test', ports: ports(options.ports), systemCa: options.systemCa ?? osStore, ...(options.amsUrl ? { amsUrl: options.amsUrl } : {}) });
  cores.push(app);
  return { ...app.core, mock: app.mock, close: app.close };
}

async function settingsIn(name: string, change: Record<string, unknown>) {
  const first = await core(name);
  const saved = await first.dispatch('settings.set', change, { emit: () => {} });
  await first.close();
  return saved;
}

async function lookup(c: Core) {
  const { token } = await fixture.mock.mintToken('maman@instansi.go.id');
  return c.dispatch('request.lookup', { token }, { emit: () => {} });
}

describe('settings for an office network', () => {
  it('a manual proxy and an AMS URL, saved in the settings view, are used from the next start: through the proxy, trusting the OS store', async () => {
    const saved = await settingsIn('manual', { amsUrl: frontUrl, proxyMode: 'manual', proxyUrl: proxy.url });
    expect(saved).toMatchObject({ ok: true, value: { amsUrl: frontUrl, proxyMode: 'manual', proxyUrl: proxy.url, trustSystemCa: true, restartNeeded: true } });
    expect(JSON.parse(await readFile(path.join(dir, 'manual', 'settings.json'), 'utf8'))).toMatchObject({ amsUrl: frontUrl, proxyMode: 'manual', proxyUrl: proxy.url });
    const c = await core('manual');
    expect(c.mock).toBeUndefined();
    expect(c.amsUrl).toBe(frontUrl);
    const before = proxy.tunnels.length;
    expect(await lookup(c)).toMatchObject({ ok: true, value: { employee: { name: 'MAMAN' } } });
    expect(proxy.tunnels.slice(before)).toContain(frontHost());
  });

  it('the system proxy: Electron resolveProxy\'s answer for the AMS URL is the proxy', async () => {
    await settingsIn('system', { amsUrl: frontUrl });
    const asked: string[] = [];
    const c = await core('system', {
      ports: {
        resolveProxy: async (url: string) => {
          asked.push(url);
          return `PROXY ${new URL(proxy.url).host}; DIRECT`;
        },
      },
    });
    const before = proxy.tunnels.length;
    expect(await lookup(c)).toMatchObject({ ok: true });
    expect(asked).toEqual([frontUrl]);
    expect(proxy.tunnels.slice(before)).toEqual([frontHost()]);
  });

  it('no proxy: straight to AMS', async () => {
    await settingsIn('direct', { amsUrl: frontUrl, proxyMode: 'none' });
    const c = await core('direct', { ports: { resolveProxy: async () => `PROXY ${new URL(proxy.url).host}` } });
    const before = proxy.tunnels.length;
    expect(await lookup(c)).toMatchObject({ ok: true });
    expect(proxy.tunnels.length).toBe(before);
  });

  it('without the OS store, the office CA is not trusted: SERVER_UNTRUSTED at the first try, through the proxy or not', async () => {
    // An untrusted certificate comes back on every try: the client does not retry it (the default is 2 retries).
    await settingsIn('untrusted', { amsUrl: frontUrl, proxyMode: 'manual', proxyUrl: proxy.url, trustSystemCa: false });
    let before = frontConnections;
    expect(await lookup(await core('untrusted'))).toMatchObject({ ok: false, error: { code: 'SERVER_UNTRUSTED', detail: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
    expect(frontConnections - before).toBe(1);
    await settingsIn('empty-store', { amsUrl: frontUrl, proxyMode: 'none' });
    before = frontConnections;
    expect(await lookup(await core('empty-store', { systemCa: () => [] }))).toMatchObject({ ok: false, error: { code: 'SERVER_UNTRUSTED' } });
    expect(frontConnections - before).toBe(1);
  });

  it('LOCK_AMS_URL still wins over the saved server, and the embedded mock is never proxied', async () => {
    await settingsIn('env-wins', { amsUrl: frontUrl, proxyMode: 'manual', proxyUrl: proxy.url });
    const c = await core('env-wins', { amsUrl: fixture.mock.url });
    expect(c.amsUrl).toBe(fixture.mock.url);
    const view = await c.dispatch('settings.get', {}, { emit: () => {} });
    expect(view).toMatchObject({ ok: true, value: { amsUrl: frontUrl, amsUrlFromEnv: fixture.mock.url } });
    const embedded = await core('embedded', { ports: { resolveProxy: async () => `PROXY ${new URL(proxy.url).host}` } });
    expect(embedded.mock).toBeDefined();
    const before = proxy.tunnels.length;
    const { token } = await embedded.mock!.mintToken('maman@instansi.go.id');
    expect(await embedded.dispatch('request.lookup', { token }, { emit: () => {} })).toMatchObject({ ok: true });
    expect(proxy.tunnels.length).toBe(before);
  });

  it('refuses a manual proxy without an address, and addresses that are not http(s) URLs', async () => {
    const c = await core('invalid');
    expect(await c.dispatch('settings.set', { proxyMode: 'manual' }, { emit: () => {} })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await c.dispatch('settings.set', { amsUrl: 'file:///etc/passwd' }, { emit: () => {} })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await c.dispatch('settings.set', { outputDir: path.join(dir, 'made-up') }, { emit: () => {} })).toMatchObject({ ok: false, error: { code: 'OUTPUT_DIR_NOT_ALLOWED' } });
    const current = (await c.dispatch('output.info', {}, { emit: () => {} })) as { ok: true; value: { dir: string } };
    expect(await c.dispatch('settings.set', { language: 'en', outputDir: current.value.dir }, { emit: () => {} })).toMatchObject({
      ok: true,
      value: { language: 'en', outputDir: current.value.dir, restartNeeded: false },
    });
  });

  it('the AMS client alone: CA from the OS-store stand-in and the tunnel', async () => {
    const network = await resolveAmsNetwork(frontUrl, { proxyMode: 'manual', proxyUrl: proxy.url }, { systemCa: osStore });
    expect(network).toEqual({ proxyUrl: proxy.url, extraCa: [officeCa] });
    await expect(new AmsClient(frontUrl, { network, retries: 0 }).status('0'.repeat(40))).rejects.toMatchObject({ code: 'TOKEN_UNKNOWN' });
    await expect(new AmsClient(frontUrl, { retries: 0 }).status('0'.repeat(40))).rejects.toMatchObject({ code: 'SERVER_UNTRUSTED' });
  });
});

describe('CLI: --proxy and HTTPS_PROXY / NO_PROXY', () => {
  const BIN = path.resolve('bin/lock-desktop.cjs');
  const show = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const { token } = await fixture.mock.mintToken('maman@instansi.go.id');
    const file = path.join(dir, `token-${Math.random().toString(36).slice(2)}.txt`);
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?_proxy|no_proxy)$/i.test(k)));
    return run(process.execPath, [BIN, 'show', '--server', fixture.mock.url, '--token-file', file, '--json', ...args], { env: { ...clean, ...env } });
  };
  const mockHost = () => new URL(fixture.mock.url).host;

  it('--proxy tunnels through the proxy', async () => {
    const before = proxy.tunnels.length;
    const result = await show(['--proxy', proxy.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ employee: { name: 'MAMAN' } });
    expect(proxy.tunnels.slice(before)).toContain(mockHost());
  });

  it('HTTPS_PROXY / HTTP_PROXY are honoured, NO_PROXY wins over them', async () => {
    let before = proxy.tunnels.length;
    expect((await show([], { HTTP_PROXY: proxy.url })).code).toBe(0);
    expect(proxy.tunnels.slice(before)).toContain(mockHost());
    before = proxy.tunnels.length;
    expect((await show([], { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })).code).toBe(0);
    expect(proxy.tunnels.length).toBe(before);
  });
});
