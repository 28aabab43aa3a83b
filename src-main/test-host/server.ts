import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJson, sendJson, sendText } from '../mock-ams/http-util';
import type { Dispatch } from '../services/api-dispatch';
import { readRendererFile, RENDERER_CSP } from '../services/renderer-files';

export interface TestHostOptions {
  rendererDir: string;
  bridgeFile: string;
  dispatch: Dispatch;
  /** What "copy" and "paste" see: the host stands in for the OS clipboard. */
  clipboard: { text: string };
  /** Pages the app asked to open in the system browser (GET /__lock/test/opened). */
  opened?: string[];
  /** The embedded mock's address and admin key, so e2e tests can drive AMS through its admin API. */
  mockAdmin?: { url: string; adminKey: string };
  port?: number;
  key?: string;
}

export interface TestHost {
  url: string;
  /** Open this: the page keeps the per-run key and drops it from the address bar. */
  openUrl: string;
  close(): Promise<void>;
}

const BRIDGE_PATH = '/__lock/bridge.js';

/**
 * The browser test host: serves the built renderer to Chromium and bridges
 * `window.lock` over loopback HTTP to the same dispatcher the Electron shell
 * uses. Every API call needs the per-run key; requests for another Host (DNS
 * rebinding) or from another Origin are refused. Development and tests only.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const key = options.key ?? randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  // Desktop notifications the Electron shell would show, kept for tests to read.
  const notifications: unknown[] = [];
  let allowedHosts = new Set<string>();

  const keyMatches = (given: string | undefined | null) => {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(key);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return sendText(res, 403, 'text/plain', 'forbidden host');
    const origin = req.headers.origin;
    if (origin && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return sendText(res, 403, 'text/plain', 'forbidden origin');
    const url = new URL(req.url ?? '/', 'http://host.invalid');

    if (req.method === 'POST' && url.pathname.startsWith('/__lock/call/')) {
      if (!keyMatches(req.headers['x-lock-key'] as string | undefined)) return sendJson(res, 401, { error: 'key' });
      const channel = url.pathname.slice('/__lock/call/'.length);
      const result = await options.dispatch(channel, await readJson(req).catch(() => undefined), {
        emit: (event, payload) => {
          if (event === 'app.onDidNotify') notifications.push(payload);
          for (const stream of streams) stream.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
        },
      });
      return sendJson(res, 200, result);
    }
    if (req.method === 'GET' && url.pathname === '/__lock/events') {
      if (!keyMatches(url.searchParams.get('key'))) return sendJson(res, 401, { error: 'key' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/__lock/test/clipboard') {
      if (!keyMatches(req.headers['x-lock-key'] as string | undefined)) return sendJson(res, 401, { error: 'key' });
      const body = (await readJson(req)) as { text?: unknown };
      options.clipboard.text = String(body.text ?? '');
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/__lock/test/notifications') {
      if (!keyMatches(req.headers['x-lock-key'] as string | undefined)) return sendJson(res, 401, { error: 'key' });
      return sendJson(res, 200, notifications);
    }
    if (req.method === 'GET' && url.pathname === '/__lock/test/opened') {
      if (!keyMatches(req.headers['x-lock-key'] as string | undefined)) return sendJson(res, 401, { error: 'key' });
      return sendJson(res, 200, options.opened ?? []);
    }
    if (req.method === 'GET' && url.pathname === '/__lock/test/mock-admin' && options.mockAdmin) {
      if (!keyMatches(req.headers['x-lock-key'] as string | undefined)) return sendJson(res, 401, { error: 'key' });
      return sendJson(res, 200, options.mockAdmin);
    }
    if (req.method === 'GET' && url.pathname === BRIDGE_PATH) {
      return sendText(res, 200, 'text/javascript; charset=utf-8', await fs.readFile(options.bridgeFile, 'utf8'));
    }
    if (req.method !== 'GET') return sendText(res, 405, 'text/plain', 'method not allowed');
    const file = await readRendererFile(options.rendererDir, url.pathname);
    if (!file) return sendText(res, 404, 'text/plain', 'not found');
    if (file.headers['content-type']?.startsWith('text/html')) {
      // The bridge must define window.lock before the app's module script runs.
      const html = file.body.toString('utf8').replace('<script', `<script src="${BRIDGE_PATH}"></script>\n    <script`);
      res.writeHead(200, { ...file.headers, 'content-security-policy': RENDERER_CSP });
      return void res.end(html);
    }
    res.writeHead(200, file.headers);
    res.end(file.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('test host error', error);
      if (!res.headersSent) sendText(res, 500, 'text/plain', 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?key=${encodeURIComponent(key)}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
