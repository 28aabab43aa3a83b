import type * as z from 'zod';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AmsErrorCode } from '../../src/ams-api/schemas';
import type { PortalKey } from './portal/strings';

export class HttpError extends Error {
  /**
   * @param message for API callers (English, in the JSON error body)
   * @param reason the portal's words for a person, in the page's language
   */
  constructor(
    readonly status: number,
    readonly code: AmsErrorCode,
    message: string,
    readonly reason?: PortalKey,
  ) {
    super(message);
  }
}

const MAX_BODY = 256 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'BAD_REQUEST', 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON');
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } });
}

export interface Route {
  method: 'GET' | 'POST';
  /** An exact path, or a pattern whose groups become `params`. */
  path: string | RegExp;
  /** For a pattern: the OpenAPI path template it serves, e.g. /portal/requests/{id}. */
  template?: string;
  handle(req: IncomingMessage, res: ServerResponse, params: string[], url: URL): Promise<void>;
}

export function matchRoute(routes: Route[], method: string, pathname: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    // HEAD is GET without the body (Node's response leaves the body out).
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    if (typeof route.path === 'string') {
      if (route.path === pathname) return { route, params: [] };
    } else {
      const match = route.path.exec(pathname);
      if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
    }
  }
  return undefined;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
