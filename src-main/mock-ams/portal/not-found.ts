import type { IncomingMessage, ServerResponse } from 'node:http';
import { html, page } from './html';
import { langOf } from './session';
import { portalText } from './strings';

/** Any unknown page under /portal: an HTML page in the page's language that leads back (the API keeps its JSON 404). */
export function portalNotFound(req: IncomingMessage, res: ServerResponse): void {
  const lang = langOf(req);
  page(
    res,
    { lang },
    portalText(lang, 'notFoundTitle'),
    html`<p class="bad" data-testid="portal-error">${portalText(lang, 'notFoundBody')}</p><p><a href="/portal" data-testid="portal-home">${portalText(lang, 'backToPortal')}</a></p>`,
    404,
  );
}

/** The portal's own paths: /portal and everything below it. */
export const isPortalPath = (pathname: string): boolean => pathname === '/portal' || pathname.startsWith('/portal/');
