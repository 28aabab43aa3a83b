import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';

/**
 * A hostile AMS on loopback. The client's base URL picks the behaviour:
 * `${url}/case/<name>` — the client keeps the base path, so every request of a
 * case lands on `/case/<name>/api/lock/v1/...`.
 */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, socket: Socket) => void;

const json = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
};

// 64 MB of zeros, gzipped once (~64 KB); members concatenated make bigger bombs cheaply.
const ZEROS = Buffer.alloc(64 * 1024 * 1024);
let gzipMember: Buffer | undefined;
const gzipBomb = (members: number) => Buffer.concat(Array.from({ length: members }, () => (gzipMember ??= gzipSync(ZEROS, { level: 9 }))));
let deflateBomb: Buffer | undefined;
let brotliBomb: Buffer | undefined;

const employee = {
  requestId: 'R1',
  product: 'Tanda Tangan Digital',
  status: 'awaiting_csr',
  employee: { name: 'MAMAN', nik: '3171010101900001', nip: '199001012015031001', position: 'STAF', unit: 'UMUM', organization: 'NAMA INSTANSI', email: 'maman@instansi.go.id', locality: 'Jakarta', province: 'DKI Jakarta', country: 'ID' },
};

export const behaviours: Record<string, Behaviour> = {
  // Deliberate success: a well-formed answer (the control case).
  ok: (_req, res) => json(res, 200, JSON.stringify(employee)),
  'slowloris-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    const timer = setInterval(() => res.write('{'), 100);
    res.on('close', () => clearInterval(timer));
  },
  'slowloris-chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(timer));
  },
  'never-answers': () => undefined,
  'headers-then-silence': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  },
  'gzip-bomb-1.5GB': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipBomb(24));
  },
  'gzip-bomb-small-header': (_req, res) => {
    const body = gzipBomb(2);
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) });
    res.end(body);
  },
  'deflate-bomb': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    res.end((deflateBomb ??= deflateSync(ZEROS, { level: 9 })));
  },
  'brotli-bomb': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
    res.end((brotliBomb ??= brotliCompressSync(ZEROS, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })));
  },
  'gzip-bomb-error-status': (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipBomb(2));
  },
  'oversize-50MB': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 50 && res.write(chunk)) sent++;
      if (sent >= 50) res.end();
      else res.once('drain', () => {
        sent++;
        pump();
      });
    };
    res.on('close', () => (sent = 50));
    pump();
  },
  'oversize-json-string': (_req, res) => json(res, 200, JSON.stringify({ ...employee, product: 'x'.repeat(3 * 1024 * 1024) })),
  'bad-gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end('this is not gzip at all');
  },
  'truncated-gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify(employee)).subarray(0, 20));
  },
  'malformed-open-brace': (_req, res) => json(res, 200, '{'),
  'malformed-trailing-garbage': (_req, res) => json(res, 200, `${JSON.stringify(employee)}garbage`),
  'malformed-html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Login required</body></html>');
  },
  'malformed-empty': (_req, res) => json(res, 200, ''),
  'malformed-deep-nesting': (_req, res) => json(res, 200, `${'['.repeat(200_000)}${']'.repeat(200_000)}`),
  'malformed-nul-bytes': (_req, res) => json(res, 200, '\u0000\u0000\u0000'),
  'malformed-bom-json': (_req, res) => json(res, 200, `\uFEFF${JSON.stringify({ employee: 1 })}`),
  'json-null': (_req, res) => json(res, 200, 'null'),
  'json-array': (_req, res) => json(res, 200, '[]'),
  'json-string': (_req, res) => json(res, 200, '"ok"'),
  'json-number-overflow': (_req, res) => json(res, 200, '1e99999'),
  'schema-missing-employee': (_req, res) => json(res, 200, JSON.stringify({ requestId: 'R1', product: 'x', status: 'awaiting_csr' })),
  'schema-wrong-types': (_req, res) => json(res, 200, JSON.stringify({ ...employee, requestId: 42, employee: { ...employee.employee, name: ['MAMAN'] } })),
  'schema-unknown-status': (_req, res) => json(res, 200, JSON.stringify({ ...employee, status: 'pwned' })),
  'schema-proto-pollution': (_req, res) => json(res, 200, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  'schema-certificate-not-pem': (_req, res) => json(res, 200, JSON.stringify({ requestId: 'R1', certificate: 'not a certificate', chain: [] })),
  'redirect-301-other-host': (_req, res) => {
    res.writeHead(301, { location: 'http://example.invalid/steal' });
    res.end();
  },
  'redirect-302-other-host': (_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  },
  'redirect-307-same-host': (req, res) => {
    res.writeHead(307, { location: `${req.url}/again` });
    res.end();
  },
  'redirect-308-https': (_req, res) => {
    res.writeHead(308, { location: 'https://127.0.0.1:1/' });
    res.end();
  },
  'status-500-html': (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<h1>Internal Server Error</h1>');
  },
  'status-502-empty': (_req, res) => {
    res.writeHead(502);
    res.end();
  },
  'status-503-retry-after': (_req, res) => {
    res.writeHead(503, { 'retry-after': '3600' });
    res.end();
  },
  'status-404-html': (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not Found</h1>');
  },
  'status-418': (_req, res) => json(res, 418, '{}'),
  'status-401-unknown-code': (_req, res) => json(res, 401, JSON.stringify({ error: { code: 'NOT_A_CODE', message: 'x' } })),
  'error-ansi-csr-detail': (_req, res) => json(res, 422, JSON.stringify({ error: { code: 'CSR_INVALID', message: `\u001b[2J\u001b[31mOWNED\u001b[0m\n${'A'.repeat(20_000)}` } })),
  'error-revoked': (_req, res) => json(res, 409, JSON.stringify({ error: { code: 'REVOKED', message: 'certificate revoked' } })),
  'reset-immediately': (_req, _res, socket) => socket.destroy(),
  'reset-mid-body': (_req, res, socket) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"requestId":');
    setTimeout(() => socket.destroy(), 50);
  },
  'content-length-short': (_req, _res, socket) => {
    socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n${JSON.stringify(employee)}`);
  },
  'garbage-status-line': (_req, _res, socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'),
  'header-overflow': (_req, _res, socket) => socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n{}`),
  'broken-chunked': (_req, _res, socket) => socket.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n'),
};

/** Builds the bombs before any case runs: their making is the server's time, not the client's. */
function prepareBombs(): void {
  gzipBomb(1);
  deflateBomb ??= deflateSync(ZEROS, { level: 9 });
  brotliBomb ??= brotliCompressSync(ZEROS, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
}

export async function startFakeAms(): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
  prepareBombs();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const name = /^\/case\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '';
    hits.set(name, (hits.get(name) ?? 0) + 1);
    // Drain the request body so the answer is not held up by it.
    req.resume();
    const behaviour = behaviours[name];
    if (!behaviour) return json(res, 599, '{}');
    behaviour(req, res, req.socket);
  });
  server.maxHeadersCount = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
