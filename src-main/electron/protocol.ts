import { protocol } from 'electron';
import { readRendererFile } from '../services/renderer-files';

export const SCHEME = 'app';

/** Must run before `ready`: makes app:// a standard, secure origin. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Serves the built renderer over app://lock/ instead of file://, with the CSP header. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'lock' || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = await readRendererFile(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), { status: 200, headers: file.headers });
  });
}
