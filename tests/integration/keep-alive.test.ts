import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmsClient } from '../../src-main/services/ams-client';
import { agentsFor, keepAliveOnce } from '../../src-main/services/network';

describe('AMS agents: keep-alive, with SO_KEEPALIVE set once per socket', () => {
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  async function server(): Promise<{ url: string; connections: () => number }> {
    let connections = 0;
    const s = http.createServer((_req, res) => res.end('ok'));
    s.on('connection', () => connections++);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    closers.push(() => s.close());
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`, connections: () => connections };
  }

  const get = (url: string, agent: http.Agent) =>
    new Promise<string>((resolve, reject) =>
      http.get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      }).on('error', reject),
    );

  it('three requests in a row reuse one socket, which gets SO_KEEPALIVE once (Node alone sets it three times)', async () => {
    const { url, connections } = await server();
    const setKeepAlive = net.Socket.prototype.setKeepAlive;
    let calls = 0;
    net.Socket.prototype.setKeepAlive = function (this: net.Socket, ...args: unknown[]) {
      calls++;
      return (setKeepAlive as (...a: unknown[]) => net.Socket).apply(this, args);
    } as net.Socket['setKeepAlive'];
    try {
      const plain = new http.Agent({ keepAlive: true });
      closers.push(() => plain.destroy());
      for (let i = 0; i < 3; i++) expect(await get(url, plain)).toBe('ok');
      const withNode = calls;
      calls = 0;
      const once = keepAliveOnce(new http.Agent({ keepAlive: true, timeout: 5_000 }));
      closers.push(() => once.destroy());
      for (let i = 0; i < 3; i++) expect(await get(url, once)).toBe('ok');
      expect(withNode).toBe(3);
      expect(calls).toBe(1);
      expect(connections()).toBe(2);
    } finally {
      net.Socket.prototype.setKeepAlive = setKeepAlive;
    }
  });

  it('a socket back in the pool is unref’d and keeps the agent’s idle timeout', async () => {
    const { url } = await server();
    const agent = keepAliveOnce(new http.Agent({ keepAlive: true, timeout: 4_321 }));
    closers.push(() => agent.destroy());
    for (let i = 0; i < 2; i++) await get(url, agent);
    const [socket] = Object.values(agent.freeSockets).flat() as net.Socket[];
    expect(socket?.timeout).toBe(4_321);
  });

  it('direct to AMS: keep-alive agents for http and, for an https:// AMS, https (with the extra CAs); a proxy is left to its own agent', async () => {
    const direct = await agentsFor({});
    expect(direct.httpAgent).toBeInstanceOf(http.Agent);
    expect((direct.httpAgent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    expect((direct.httpsAgent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    // For an http:// AMS no https agent is made (it would load TLS for nothing).
    expect((await agentsFor({}, 'http://127.0.0.1:8080')).httpsAgent).toBeUndefined();
    expect((await agentsFor({}, 'https://ams.example')).httpsAgent).toBeDefined();
    const withCa = await agentsFor({ extraCa: ['-----BEGIN CERTIFICATE-----'] });
    expect((withCa.httpsAgent!.options as { ca?: string[] }).ca).toContain('-----BEGIN CERTIFICATE-----');
    const proxied = await agentsFor({ proxyUrl: 'http://127.0.0.1:3128' });
    expect(proxied.httpAgent).toBe(proxied.httpsAgent);
    expect(proxied.httpAgent!.keepSocketAlive).toBe(http.Agent.prototype.keepSocketAlive);
  });
});

describe('a kept-alive socket the server closes just as it is reused', () => {
  /**
   * A raw HTTP/1.1 server that answers the first request on each connection (keeping it open) and drops the
   * connection, unanswered, when a second request arrives on it: what an AMS behind a load balancer does when
   * its idle timeout fires at the moment the client reuses the socket.
   */
  async function droppingServer(): Promise<{ url: string; connections: () => number; dropped: () => number; close: () => void }> {
    let connections = 0;
    let dropped = 0;
    const body = JSON.stringify({ requestId: 'r-1', product: 'Tanda Tangan Elektronik', status: 'awaiting_csr', updatedAt: '2026-11-30T00:00:00.000Z' });
    const server = net.createServer((socket) => {
      connections++;
      let buffered = '';
      let answered = false;
      socket.on('data', (chunk) => {
        buffered += chunk.toString('latin1');
        const end = buffered.indexOf('\r\n\r\n');
        const length = Number(/content-length: *(\d+)/i.exec(buffered)?.[1] ?? 0);
        if (end < 0 || buffered.length < end + 4 + length) return;
        buffered = '';
        if (answered) {
          dropped++;
          socket.destroy();
          return;
        }
        answered = true;
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, dropped: () => dropped, close: () => server.close() };
  }

  it('the call is retried on a new connection and answers; nothing is reported to the user', async () => {
    const server = await droppingServer();
    try {
      const client = new AmsClient(server.url, { retryDelayMs: 10 });
      for (let i = 0; i < 3; i++) expect((await client.status('TOKEN')).status).toBe('awaiting_csr');
      // Calls 2 and 3 each met a dropped socket first: 3 answered connections, 2 drops.
      expect(server.dropped()).toBe(2);
      expect(server.connections()).toBe(3);
    } finally {
      server.close();
    }
  });

  it('with no retries left the drop is a coded SERVER_UNREACHABLE, not a raw socket error', async () => {
    const server = await droppingServer();
    try {
      const client = new AmsClient(server.url, { retries: 0 });
      await client.status('TOKEN');
      await expect(client.status('TOKEN')).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
    } finally {
      server.close();
    }
  });
});
