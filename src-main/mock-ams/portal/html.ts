import type { ServerResponse } from 'node:http';
import { portalText, type PortalKey, type PortalLang } from './strings';

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A tagged template whose interpolations are escaped unless they are `raw` HTML. */
export class Html {
  constructor(readonly value: string) {}
}
export const raw = (value: string) => new Html(value);
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const text = Array.isArray(value) ? value.map((v) => (v instanceof Html ? v.value : esc(v))).join('') : value instanceof Html ? value.value : esc(value ?? '');
    out += text + strings[i + 1]!;
  });
  return new Html(out);
}

export const PORTAL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageContext {
  lang: PortalLang;
  user?: { email: string; name: string; role: string };
  csrf?: string;
}

export function page(res: ServerResponse, ctx: PageContext, title: string, body: Html, status = 200): void {
  const t = (key: PortalKey) => portalText(ctx.lang, key);
  const nav = ctx.user
    ? html`<nav class="nav">
        <a href="/portal/certificates">${t('myCertificates')}</a>
        <a href="/portal/requests/new">${t('newRequest')}</a>
        <a href="/portal/requests">${t('requestStatus')}</a>
        ${ctx.user.role === 'verifier' ? html`<a href="/portal/verifier">${t('verifier')}</a>` : ''}
        <span class="who">${ctx.user.name} (${ctx.user.email})</span>
        <form method="post" action="/portal/logout">${csrfField(ctx)}<button>${t('logout')}</button></form>
      </nav>`
    : html``;
  const doc = html`<!doctype html>
<html lang="${ctx.lang}">
<head><meta charset="utf-8"><title>${title} — AMS</title><link rel="stylesheet" href="/portal/assets/portal.css"><script src="/portal/assets/portal.js" defer></script></head>
<body>
<header><div class="top"><strong>${t('title')}</strong><a class="lang" lang="${ctx.lang === 'id' ? 'en' : 'id'}" href="/portal/lang/${ctx.lang === 'id' ? 'en' : 'id'}">${t('language')}</a></div>
<p class="banner">${t('mockBanner')}</p></header>
${nav}
<main><h1>${title}</h1>${body}</main>
</body>
</html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PORTAL_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  res.end(doc.value);
}

export function csrfField(ctx: PageContext): Html {
  return ctx.csrf ? html`<input type="hidden" name="csrf" value="${ctx.csrf}">` : html``;
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(303, { location, ...(cookies.length ? { 'set-cookie': cookies } : {}) });
  res.end();
}
