import { AppError } from '../contract/errors';

// scheme://host[:port][/path] — no user info, query or fragment: a base URL only.
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[0-9A-Fa-f:.]+\]|[^/:?#@[\]\s]+)(?::(\d{1,5}))?(\/[^?#\s]*)?$/;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * The one spelling of an AMS address that keys the ledger and the token hash:
 * lower-case scheme and host, `localhost` as 127.0.0.1 (what the embedded mock
 * listens on, and what Node would not pick first on an IPv6-first resolver),
 * no default port, no trailing slash. `http://H:80/`, `HTTP://h` and `http://h`
 * are one server. Anything that is not an http(s) base URL is refused.
 */
export function normalizeServerUrl(input: string): string {
  const match = SHAPE.exec(input.trim());
  if (!match) throw new AppError('SERVER_URL_INVALID', { detail: input.slice(0, 200) });
  const scheme = match[1]!.toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) throw new AppError('SERVER_URL_INVALID', { detail: input.slice(0, 200) });
  let host = match[2]!.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') host = '127.0.0.1';
  if (host === '') throw new AppError('SERVER_URL_INVALID', { detail: input.slice(0, 200) });
  let port = match[3] === undefined || match[3] === '' ? '' : String(Number(match[3]));
  if (port !== '' && (Number(port) < 1 || Number(port) > 65535)) throw new AppError('SERVER_URL_INVALID', { detail: input.slice(0, 200) });
  if (port === DEFAULT_PORTS[scheme]) port = '';
  const path = (match[4] ?? '').replace(/\/+$/, '');
  return `${scheme}://${host}${port ? `:${port}` : ''}${path}`;
}
