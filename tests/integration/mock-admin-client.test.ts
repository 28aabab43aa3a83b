import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { MockAdminClient } from '../../src-main/mock-ams/admin-client';

/** The QA commands' client against servers on loopback that misbehave the way a wrong or stuck port does. */
describe('MockAdminClient against a server that is not a working mock', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });
  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const failure = async (url: string): Promise<AppError> => {
    const error = await new MockAdminClient(url, 'key', { timeoutMs: 300, maxAnswerBytes: 1024 * 1024 }).call('/admin/requests').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('takes the request and never answers: SERVER_TIMEOUT naming the server, not unreachable', async () => {
    const url = await serve(() => undefined);
    expect(await failure(url)).toMatchObject({ code: 'SERVER_TIMEOUT', detail: `300 ms: ${url}` });
  });

  it('stops in the middle of its answer: SERVER_TIMEOUT, not an empty result', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"requests": [');
    });
    expect(await failure(url)).toMatchObject({ code: 'SERVER_TIMEOUT' });
  });

  it('answers 200 with something that is not JSON: SERVER_BAD_RESPONSE, not an empty result', async () => {
    const url = await serve((_req, res) => res.end('<html>another program on this port</html>'));
    expect(await failure(url)).toMatchObject({ code: 'SERVER_BAD_RESPONSE', detail: `not JSON: ${url}` });
  });

  it('floods: refused at the answer limit with SERVER_BAD_RESPONSE, not read until the deadline', async () => {
    let sent = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', more);
      res.write('[');
      more();
    });
    expect(await failure(url)).toMatchObject({ code: 'SERVER_BAD_RESPONSE', detail: `answer over 1048576 bytes: ${url}` });
    // The client stopped reading: the server could not push much past the limit (socket buffers).
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('declares an answer over the limit: refused before reading it', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) });
      res.write('[');
    });
    expect(await failure(url)).toMatchObject({ code: 'SERVER_BAD_RESPONSE', detail: `answer over 1048576 bytes: ${url}` });
  });

  it('drops the connection mid-answer: SERVER_BAD_RESPONSE, not an empty result', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"requests": [', () => res.socket?.destroy());
    });
    expect(await failure(url)).toMatchObject({ code: 'SERVER_BAD_RESPONSE', detail: `answer cut short: ${url}` });
  });

  it('nothing listens: SERVER_UNREACHABLE with the system reason and the server', async () => {
    const url = await serve(() => undefined);
    server!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await failure(url)).toMatchObject({ code: 'SERVER_UNREACHABLE', detail: `ECONNREFUSED: ${url}` });
  });
});
