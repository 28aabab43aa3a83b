import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useMockAms } from '../support/mock';
import { expectNoStack, tallyHttp } from './support';

/** One raw HTTP request (paths fetch() would normalise are sent as written); resolves to status and body. */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c.length < 100_000 ? c : ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error('HANG')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes the HTTP client would refuse to send, straight on a socket. */
function rawSocket(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let text = '';
    socket.setEncoding('utf8').on('data', (c: string) => (text += c));
    socket.on('close', () => resolve(text));
    socket.setTimeout(15_000, () => socket.destroy(new Error('HANG')));
    // A server may answer 4xx and reset the connection while the client is still sending.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(text) : reject(error)));
  });
}

type Case = [string, string, string, Record<string, string>?, string?, number[]?];
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const cases: Case[] = [
  ['GET //', 'GET', '//'],
  ['GET ///', 'GET', '///'],
  ['GET //:', 'GET', '//:'],
  ['GET \\\\', 'GET', '\\\\'],
  ['GET //evil.example/portal', 'GET', '//evil.example/portal'],
  ['GET /%', 'GET', '/%', {}, undefined, [400, 404]],
  ['GET /portal/requests/%E0%A4%A', 'GET', '/portal/requests/%E0%A4%A', {}, undefined, [400, 404]],
  ['GET /portal/certificates/%ZZ/revoke', 'GET', '/portal/certificates/%ZZ/revoke', {}, undefined, [400, 404]],
  ['GET /ca/%E0%A4%A.crt', 'GET', '/ca/%E0%A4%A.crt', {}, undefined, [400, 404]],
  ['GET a path of 8 KB', 'GET', `/${'a'.repeat(8000)}`, {}, undefined, [400, 404, 414, 431]],
  ['GET with a query of %-garbage', 'GET', '/ca/chain.pem?x=%ZZ%', {}, undefined, [200, 400]],
  ['GET /portal with a malformed session cookie', 'GET', '/portal/certificates', { cookie: 'ams_session=%E0%A4%A' }, undefined, [302, 303]],
  ['GET /portal with a cookie without a name', 'GET', '/portal/login', { cookie: '=; ==; ;;; =x' }, undefined, [200]],
  ['GET /portal with a 7 KB cookie', 'GET', '/portal/login', { cookie: `ams_lang=${'%'.repeat(7000)}` }, undefined, [200]],
  ['GET /portal with a __proto__ cookie', 'GET', '/portal/login', { cookie: '__proto__=x; constructor=y; ams_lang=en' }, undefined, [200]],
  ['POST /portal/login without the form’s CSRF', 'POST', '/portal/login', form, 'email=maman%40instansi.go.id', [403]],
  ['POST /portal/login with a forged CSRF cookie pair mismatch', 'POST', '/portal/login', { ...form, cookie: 'ams_login=a' }, 'email=maman%40instansi.go.id&csrf=b', [403]],
  ['POST /portal/logout without a session or CSRF', 'POST', '/portal/logout', form, '', [303, 403]],
  ['POST /portal/login with a malformed form', 'POST', '/portal/login', form, '%%%=%%%&&&=', [400, 403]],
  ['POST /portal/requests/new without a session', 'POST', '/portal/requests/new', form, 'csrf=x', [302, 303]],
  ['POST /api/lock/v1/employee with "{"', 'POST', '/api/lock/v1/employee', json, '{', [400]],
  ['POST /api/lock/v1/employee with an array', 'POST', '/api/lock/v1/employee', json, '[]', [400]],
  ['POST /api/lock/v1/employee with a number token', 'POST', '/api/lock/v1/employee', json, '{"token":1}', [400]],
  ['POST /api/lock/v1/employee with __proto__', 'POST', '/api/lock/v1/employee', json, '{"__proto__":{"admin":true},"token":"x"}', [400, 404]],
  ['POST /api/lock/v1/employee with deep nesting', 'POST', '/api/lock/v1/employee', json, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, [400]],
  ['POST /api/lock/v1/csr with 300 KB', 'POST', '/api/lock/v1/csr', json, JSON.stringify({ token: 'A'.repeat(40), csr: 'A'.repeat(300 * 1024) }), [413]],
  ['POST /api/lock/v1/status with invalid UTF-8', 'POST', '/api/lock/v1/status', json, '{"token":"\udc00"}', [400, 404]],
  ['POST /admin/v1/reset without the admin key', 'POST', '/admin/v1/reset', json, '{}', [401, 403]],
  ['POST /admin/v1/reset with a wrong admin key', 'POST', '/admin/v1/reset', { ...json, 'x-admin-key': '-' }, '{}', [401, 403]],
  ['PUT /api/lock/v1/employee', 'PUT', '/api/lock/v1/employee', json, '{}', [404, 405]],
  ['DELETE /portal', 'DELETE', '/portal', {}, undefined, [404, 405]],
  ['OPTIONS *', 'OPTIONS', '*', {}, undefined, [400, 404]],
];

describe('corpus: requests to the mock AMS (the server never dies of one)', () => {
  const fixture = useMockAms();
  for (const [name, method, path, headers, body, statuses] of cases) {
    it(`${name} → ${statuses?.join('/') ?? 400}, then still serving`, async () => {
      const answer = await raw(fixture.mock.url, method, path, headers, body);
      expect(statuses ?? [400]).toContain(answer.status);
      tallyHttp(answer.status);
      expectNoStack(answer.body);
      expect((await raw(fixture.mock.url, 'GET', '/health')).status).toBe(200);
    });
  }

  const sockets: [string, string][] = [
    ['request smuggling: Content-Length and Transfer-Encoding', 'POST /api/lock/v1/employee HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['not HTTP at all', '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003'],
    ['a header of 64 KB', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(65_536)}\r\n\r\n`],
    ['NUL in the request line', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ];
  for (const [name, bytes] of sockets) {
    it(`${name} → refused, then still serving`, async () => {
      const answer = await rawSocket(fixture.mock.url, bytes);
      expect(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer)).toBe(true);
      tallyHttp(400);
      expect((await raw(fixture.mock.url, 'GET', '/health')).status).toBe(200);
    });
  }
});
