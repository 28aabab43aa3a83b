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
    const error = await new MockAdminClient(url, 'key', 300).call('/admin/requests').catch((e: unknown) => e);
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

  it('nothing listens: SERVER_UNREACHABLE with the system reason and the server', async () => {
    const url = await serve(() => undefined);
    server!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await failure(url)).toMatchObject({ code: 'SERVER_UNREACHABLE', detail: `ECONNREFUSED: ${url}` });
  });
});
