import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * The renderer's Content-Security-Policy, sent as a header by every shell that
 * serves it (index.html carries the same policy as a meta tag).
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface RendererFile {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Reads a file of the built renderer for a URL path, refusing anything outside
 * `root` (`..`, encoded slashes, absolute paths). `/` is index.html.
 */
export async function readRendererFile(root: string, urlPath: string): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  if (file !== path.resolve(root) && !file.startsWith(path.resolve(root) + path.sep)) return undefined;
  const type = MIME[path.extname(file).toLowerCase()];
  if (!type) return undefined;
  try {
    return {
      body: await fs.readFile(file),
      headers: {
        'content-type': type,
        'content-security-policy': RENDERER_CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    };
  } catch {
    return undefined;
  }
}
