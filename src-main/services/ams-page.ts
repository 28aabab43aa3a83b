import { AppError } from '../../src/contract/errors';

/**
 * Only pages of the configured AMS open in the system browser: http(s), the same
 * origin, under its base path, no user info. Returns the URL as the browser will get it.
 */
export function requireAmsPage(url: string, amsUrl: string): string {
  const refuse = () => new AppError('URL_NOT_ALLOWED', { detail: url.slice(0, 200) });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw refuse();
  }
  const base = new URL(amsUrl.endsWith('/') ? amsUrl : `${amsUrl}/`);
  const http = target.protocol === 'https:' || target.protocol === 'http:';
  const inside = target.pathname === base.pathname.slice(0, -1) || target.pathname.startsWith(base.pathname);
  if (!http || target.origin !== base.origin || target.username !== '' || target.password !== '' || !inside) throw refuse();
  return target.href;
}
