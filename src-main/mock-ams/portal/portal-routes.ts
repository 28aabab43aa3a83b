import type { IncomingMessage, ServerResponse } from 'node:http';
import { products } from '../seed-users';
import { revocationReasons, type AmsCore, type RevocationReason } from '../ams-core';
import { HttpError, type Route } from '../http-util';
import type { MockRequest, MockUser } from '../store';
import { PORTAL_CSS, PORTAL_JS } from './assets';
import { readForm, readMultipart } from './form-body';
import { csrfField, html, page, redirect, type PageContext } from './html';
import { langOf, sameSecret, Sessions, type Session } from './session';
import { formatDateTime } from '../../../src/i18n/time';
import { AGREEMENT, portalText, type PortalKey } from './strings';

const DAY_MS = 86_400_000;

/**
 * The AMS portal pages a user walks for a LOCK request (seeds 000, 001, 003):
 * sign-in, Permohonan Baru with Salin Token, Cek, Surat Rekomendasi, the
 * agreement, Status Permohonan, Daftar Sertifikat Elektronik with its actions,
 * and the verifier's page. A user sees only their own data.
 */
export function portalRoutes(core: AmsCore): Route[] {
  const sessions = new Sessions();

  type Handler = (req: IncomingMessage, res: ServerResponse, ctx: PageContext & { user: MockUser; session: Session }, params: string[]) => Promise<void>;

  /** Signed-in pages: POSTs must carry the session's CSRF token; HttpErrors become a page. */
  const signedIn =
    (method: Route['method'], handler: Handler, options: { verifier?: boolean; form?: boolean } = {}) =>
    async (req: IncomingMessage, res: ServerResponse, params: string[]) => {
      const lang = langOf(req);
      const session = sessions.get(req);
      const user = session && core.store.findUser(session.email);
      if (!session || !user) return redirect(res, '/portal/login');
      const ctx = { lang, user, session, csrf: session.csrf };
      try {
        if (method === 'POST' && options.form !== false) {
          const form = await readForm(req);
          if (form.get('csrf') !== session.csrf) throw new HttpError(403, 'NOT_ALLOWED', 'form expired; reload the page', 'errFormExpired');
          (req as IncomingMessage & { form?: URLSearchParams }).form = form;
        }
        if (options.verifier && user.role !== 'verifier') throw new HttpError(403, 'NOT_ALLOWED', 'verifiers only', 'notVerifier');
        await handler(req, res, ctx, params);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        const text = error.reason ? portalText(lang, error.reason) : error.message;
        page(res, ctx, portalText(lang, 'error'), html`<p class="bad" data-testid="portal-error">${text}</p><p><a href="/portal/certificates">${portalText(lang, 'back')}</a></p>`, error.status);
      }
    };
  const formOf = (req: IncomingMessage) => (req as IncomingMessage & { form?: URLSearchParams }).form ?? new URLSearchParams();
  const route = (
    method: Route['method'],
    path: string | RegExp,
    handle: (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>,
    template?: string,
  ): Route => ({ method, path, ...(template ? { template } : {}), handle: (req, res, params) => handle(req, res, params) });
  // AMS keeps Jakarta time; the zone is written out (WIB) so the app and the portal visibly agree.
  const when = (iso: string | undefined, lang: PageContext['lang']) => (iso ? formatDateTime(iso, lang, 'Asia/Jakarta') : '');

  const tokenPage = (res: ServerResponse, ctx: PageContext, token: string, requestId: string) => {
    const t = (key: PortalKey) => portalText(ctx.lang, key);
    page(
      res,
      ctx,
      t('tokenTitle'),
      html`<p>${t('tokenIntro')}</p>
        <div class="token" id="token" data-testid="csr-token">${token}</div>
        <p><button type="button" id="copy-token">${t('copyToken')}</button> <span id="copied" class="ok" hidden>${t('copied')}</span></p>
        <p class="muted">${t('getApp')}</p>
        <p><a class="button secondary" href="/portal/requests/${requestId}">${t('toRequest')}</a></p>`,
    );
  };

  const loginPage = (res: ServerResponse, lang: PageContext['lang'], refused?: { email: string; status: number }) => {
    const t = (key: PortalKey, vars?: Record<string, string>) => portalText(lang, key, vars);
    const users = core.store.users();
    // Login CSRF: the form carries the value of a cookie set with it (double submit).
    const challenge = sessions.loginChallenge();
    res.setHeader('set-cookie', challenge.cookie);
    page(
      res,
      { lang },
      t('login'),
      html`${refused ? html`<p class="bad" role="alert" data-testid="portal-error">${t('noSuchUser', { email: refused.email })}</p>` : html``}
        <p>${t('loginIntro')}</p><form method="post" action="/portal/login">${csrfField({ lang, csrf: challenge.csrf })}
        <label for="email">${t('email')}</label><input type="email" name="email" id="email" list="users" required value="${refused?.email ?? ''}" data-testid="login-email">
        <datalist id="users">${users.map((u) => html`<option value="${u.email}">${u.name}</option>`)}</datalist>
        <p><button data-testid="login">${t('login')}</button></p></form>
        <p class="muted">${users.map((u) => html`${u.email} (${u.role}) · `)}</p>`,
      refused?.status ?? 200,
    );
  };

  const requestPage = (res: ServerResponse, ctx: PageContext, request: MockRequest, checked?: boolean) => {
    const t = (key: PortalKey, vars?: Record<string, string>) => portalText(ctx.lang, key, vars);
    const status = core.statusOf(request).status;
    const check =
      checked === undefined
        ? html``
        : request.csrPem
          ? html`<p class="ok" data-testid="check-result">${t('uploaded')}</p>`
          : html`<p class="bad" data-testid="check-result">${t('notArrived')}</p>`;
    const steps =
      request.status === 'csr_uploaded'
        ? html`<div class="card"><h2>${t('letter')}</h2>
            ${request.letter ? html`<p class="ok" data-testid="letter-done">${t('letterDone', { size: String(Math.ceil(request.letter.size / 1024)) })}</p>` : html``}
            <form method="post" action="/portal/requests/${request.id}/letter?csrf=${ctx.csrf ?? ''}" enctype="multipart/form-data">
              <label for="letter">${t('letterFile')}</label>
              <input type="file" name="letter" id="letter" accept="application/pdf,.pdf" required data-testid="letter-input"> <button>${t('upload')}</button>
              <p class="muted">${t('letterHint')}</p></form></div>
          <div class="card"><h2>${t('agreement')}</h2><p class="muted">${t('agreementHint')}</p>
            <div class="agreement" id="agreement" tabindex="0" role="region" aria-label="${t('agreement')}" data-testid="agreement">${AGREEMENT[ctx.lang].map((p) => html`<p>${p}</p>`)}</div>
            <form method="post" action="/portal/requests/${request.id}/submit">${csrfField(ctx)}
              <label><input type="checkbox" name="agree" id="agree" disabled data-testid="agree"> ${t('agree')}</label>
              <button id="agree-submit" disabled data-testid="agree-submit">${t('agreeSubmit')}</button></form></div>`
        : request.status === 'submitted'
          ? html`<p class="ok">${t('submitted')}</p>`
          : html``;
    page(
      res,
      ctx,
      `${t('requestStatus')} — ${request.product}`,
      html`<table><tr><th>${t('date')}</th><td>${when(request.createdAt, ctx.lang)}</td></tr>
        <tr><th>${t('requestType')}</th><td>${request.type}</td></tr>
        <tr><th>${t('status')}</th><td data-testid="request-status">${t(`st_${status}` as PortalKey)}</td></tr>
        <tr><th>${t('note')}</th><td>${request.note ?? ''}</td></tr></table>
        <form method="post" action="/portal/requests/${request.id}/check">${csrfField(ctx)}<button data-testid="check">${t('check')}</button></form>
        ${check}${steps}`,
    );
  };

  const ownRequest = (user: MockUser, id: string) => {
    const request = core.store.findRequest(id);
    if (!request || request.email.toLowerCase() !== user.email.toLowerCase()) throw new HttpError(404, 'NOT_FOUND', 'no such request', 'errNotFound');
    return request;
  };
  const ownCertificate = (user: MockUser, serial: string) => {
    const found = core.findCertificate(serial);
    if (!found || found.request.email.toLowerCase() !== user.email.toLowerCase()) throw new HttpError(404, 'NOT_FOUND', 'no such certificate', 'errNotFound');
    return found;
  };

  return [
    route('GET', '/portal/assets/portal.css', async (_req, res) => asset(res, 'text/css; charset=utf-8', PORTAL_CSS)),
    route('GET', '/portal/assets/portal.js', async (_req, res) => asset(res, 'text/javascript; charset=utf-8', PORTAL_JS)),
    route('GET', '/portal', async (req, res) => redirect(res, sessions.get(req) ? '/portal/certificates' : '/portal/login')),
    route('GET', /^\/portal\/lang\/(id|en)$/, async (req, res, [lang]) => redirect(res, '/portal', [`ams_lang=${lang}; Path=/portal; SameSite=Strict`]), '/portal/lang/{lang}'),
    route('GET', '/portal/login', async (req, res) => loginPage(res, langOf(req))),
    route('POST', '/portal/login', async (req, res) => {
      const form = await readForm(req);
      if (!sessions.loginChallengeMet(req, form.get('csrf'))) return formExpired(req, res);
      const email = (form.get('email') ?? '').trim();
      const user = core.store.findUser(email);
      // Refused: the same form again, the reason on top in the page's language.
      if (!user) return loginPage(res, langOf(req), { email, status: 401 });
      const { cookie } = sessions.start(user.email);
      redirect(res, user.role === 'verifier' ? '/portal/verifier' : '/portal/certificates', [cookie]);
    }),
    // Only the signed-in page's own form (its CSRF token) signs out; without a session there is nothing to end.
    route('POST', '/portal/logout', async (req, res) => {
      const session = sessions.get(req);
      if (session && !sameSecret((await readForm(req)).get('csrf') ?? undefined, session.csrf)) return formExpired(req, res);
      redirect(res, '/portal/login', [sessions.end(req)]);
    }),

    route(
      'GET',
      '/portal/certificates',
      signedIn('GET', async (_req, res, ctx) => {
        const t = (key: PortalKey, vars?: Record<string, string>) => portalText(ctx.lang, key, vars);
        const rows = core.store
          .requestsOf(ctx.user.email)
          .filter((r) => r.certificate)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .map((r) => {
            const cert = r.certificate!;
            const status = core.certificateStatus(cert);
            const serial = cert.serialNumber;
            const renewFrom = new Date(Date.parse(cert.notAfter) - 30 * DAY_MS).toISOString();
            const actions =
              status === 'Issued'
                ? html`<a class="button secondary" href="/portal/certificates/${serial}.pem" data-testid="download-pem">${t('download')}</a>
                    <a class="button secondary" href="/portal/certificates/${serial}/revoke" data-testid="revoke">${t('revoke')}</a>
                    ${core.renewable(cert)
                      ? html`<form method="post" action="/portal/certificates/${serial}/renew">${csrfField(ctx)}<button data-testid="renew">${t('renew')}</button></form>`
                      : html`<span class="muted" data-testid="renew-later">${t('renewOpens', { date: when(renewFrom, ctx.lang) })}</span>`}
                    <form method="post" action="/portal/certificates/${serial}/passphrase">${csrfField(ctx)}<button class="secondary" data-testid="passphrase">${t('passphrase')}</button></form>`
                : html`<a class="button secondary" href="/portal/certificates/${serial}.pem">${t('download')}</a>`;
            return html`<tr data-serial="${serial}"><td>${ctx.user.name}</td><td>LOCK</td><td>${t('individual')}</td><td>${when(cert.notAfter, ctx.lang)}</td>
              <td data-testid="cert-status">${status}</td><td>${cert.revocationReason ? t(`reason_${cert.revocationReason}` as PortalKey) : (r.note ?? '')}</td><td>${actions}</td></tr>`;
          });
        page(
          res,
          ctx,
          t('certificateList'),
          rows.length
            ? html`<table data-testid="certificates"><tr><th>${t('commonName')}</th><th>${t('method')}</th><th>${t('certType')}</th><th>${t('validUntil')}</th><th>${t('status')}</th><th>${t('note')}</th><th>${t('actions')}</th></tr>${rows}</table>`
            : html`<p class="muted">${t('noCertificates')}</p>`,
        );
      }),
    ),
    route(
      'GET',
      /^\/portal\/certificates\/([0-9A-Fa-f]+)\.pem$/,
      signedIn('GET', async (_req, res, ctx, [serial]) => {
        const { certificate } = ownCertificate(ctx.user, serial!);
        res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-disposition': `attachment; filename="${ctx.user.name.replace(/[^A-Za-z0-9]+/g, '_')}_${serial}.pem"` });
        res.end(certificate.pem);
      }), '/portal/certificates/{serial}.pem'),
    route(
      'GET',
      /^\/portal\/certificates\/([0-9A-Fa-f]+)\/revoke$/,
      signedIn('GET', async (_req, res, ctx, [serial]) => {
        const t = (key: PortalKey) => portalText(ctx.lang, key);
        ownCertificate(ctx.user, serial!);
        page(
          res,
          ctx,
          t('revokeTitle'),
          html`<form method="post" action="/portal/certificates/${serial}/revoke">${csrfField(ctx)}
            <label for="reason">${t('revokeReason')}</label>
            <p class="bad" role="note" data-testid="revoke-warning"><strong>${t('revokeWarning')}</strong></p>
            <select name="reason" id="reason" data-testid="revoke-reason">${revocationReasons.map((r) => html`<option value="${r}">${t(`reason_${r}` as PortalKey)}</option>`)}</select>
            <p><button data-testid="revoke-confirm">${t('revokeConfirm')}</button> <a href="/portal/certificates">${t('back')}</a></p></form>`,
        );
      }), '/portal/certificates/{serial}/revoke'),
    route(
      'POST',
      /^\/portal\/certificates\/([0-9A-Fa-f]+)\/revoke$/,
      signedIn('POST', async (req, res, ctx, [serial]) => {
        const reason = formOf(req).get('reason') as RevocationReason;
        if (!revocationReasons.includes(reason)) throw new HttpError(400, 'BAD_REQUEST', 'choose a revocation reason', 'errChooseReason');
        await core.revoke(serial!, reason, ctx.user.email);
        redirect(res, '/portal/certificates');
      }), '/portal/certificates/{serial}/revoke'),
    route(
      'POST',
      /^\/portal\/certificates\/([0-9A-Fa-f]+)\/renew$/,
      signedIn('POST', async (_req, res, ctx, [serial]) => {
        const { token, requestId } = await core.renew(serial!, ctx.user.email);
        tokenPage(res, ctx, token, requestId);
      }), '/portal/certificates/{serial}/renew'),
    route(
      'POST',
      /^\/portal\/certificates\/([0-9A-Fa-f]+)\/passphrase$/,
      signedIn('POST', async (_req, res, ctx, [serial]) => {
        ownCertificate(ctx.user, serial!);
        page(res, ctx, portalText(ctx.lang, 'passphrase'), html`<p class="bad" data-testid="passphrase-refused">${portalText(ctx.lang, 'lockPassphrase')}</p><p><a href="/portal/certificates">${portalText(ctx.lang, 'back')}</a></p>`, 409);
      }), '/portal/certificates/{serial}/passphrase'),

    route(
      'GET',
      '/portal/requests/new',
      signedIn('GET', async (_req, res, ctx) => {
        const t = (key: PortalKey) => portalText(ctx.lang, key);
        page(
          res,
          ctx,
          t('newRequest'),
          html`<form method="post" action="/portal/requests/new">${csrfField(ctx)}
            <fieldset class="plain"><legend>${t('methodLegend')}</legend>
            <label><input type="radio" name="method" value="LOCK" checked> ${t('methodLock')}</label>
            <label class="muted"><input type="radio" name="method" value="eSign" disabled> ${t('methodEsign')}</label></fieldset>
            <label for="type">${t('certType')}</label><select id="type" name="type"><option value="Individu">${t('individual')}</option></select>
            <label for="product">${t('product')}</label><select id="product" name="product" data-testid="product">${products.map((p) => html`<option>${p}</option>`)}</select>
            <p><button data-testid="request-continue">${t('continue')}</button></p></form>`,
        );
      }),
    ),
    route(
      'POST',
      '/portal/requests/new',
      signedIn('POST', async (req, res, ctx) => {
        const product = formOf(req).get('product') ?? '';
        if (!(products as readonly string[]).includes(product)) throw new HttpError(400, 'BAD_REQUEST', 'choose a product', 'errChooseProduct');
        const { token, requestId } = await core.newRequest(ctx.user.email, { product });
        tokenPage(res, ctx, token, requestId);
      }),
    ),
    route(
      'GET',
      '/portal/requests',
      signedIn('GET', async (_req, res, ctx) => {
        const t = (key: PortalKey, vars?: Record<string, string>) => portalText(ctx.lang, key, vars);
        const rows = core.store
          .requestsOf(ctx.user.email)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .map((r) => {
            const v = r.verification;
            const verification = v ? t(v.decision === 'approved' ? 'approvedAt' : 'rejectedAt', { at: when(v.at, ctx.lang) }) : '';
            return html`<tr data-request="${r.id}"><td>${when(r.createdAt, ctx.lang)}</td><td>${t(`type_${r.type}` as PortalKey)}</td><td>${verification}</td><td>${r.note ?? ''}</td><td>${r.enrollment ?? ''}</td>
              <td>${r.type === 'revoke' ? '' : html`<a href="/portal/requests/${r.id}">${t('detail')}</a>`}</td></tr>`;
          });
        page(
          res,
          ctx,
          t('requestStatus'),
          html`<table data-testid="requests"><tr><th>${t('date')}</th><th>${t('requestType')}</th><th>${t('verification')}</th><th>${t('verificationNote')}</th><th>${t('enrollment')}</th><th>${t('detail')}</th></tr>${rows}</table>`,
        );
      }),
    ),
    route('GET', /^\/portal\/requests\/([0-9a-f-]{36})$/, signedIn('GET', async (_req, res, ctx, [id]) => requestPage(res, ctx, ownRequest(ctx.user, id!))), '/portal/requests/{id}'),
    route('POST', /^\/portal\/requests\/([0-9a-f-]{36})\/check$/, signedIn('POST', async (_req, res, ctx, [id]) => requestPage(res, ctx, ownRequest(ctx.user, id!), true)), '/portal/requests/{id}/check'),
    route(
      'POST',
      /^\/portal\/requests\/([0-9a-f-]{36})\/letter$/,
      signedIn(
        'POST',
        async (req, res, ctx, [id]) => {
          if (new URL(req.url ?? '', 'http://x').searchParams.get('csrf') !== ctx.session.csrf) throw new HttpError(403, 'NOT_ALLOWED', 'form expired; reload the page', 'errFormExpired');
          const request = ownRequest(ctx.user, id!);
          const file = (await readMultipart(req)).get('letter');
          if (!(file instanceof File)) throw new HttpError(400, 'BAD_REQUEST', 'choose a PDF file', 'errLetterNotPdf');
          await core.uploadLetter(request.id, ctx.user.email, { bytes: Buffer.from(await file.arrayBuffer()), name: file.name });
          redirect(res, `/portal/requests/${request.id}`);
        },
        { form: false },
      ), '/portal/requests/{id}/letter'),
    route(
      'POST',
      /^\/portal\/requests\/([0-9a-f-]{36})\/submit$/,
      signedIn('POST', async (req, res, ctx, [id]) => {
        await core.submit(ownRequest(ctx.user, id!).id, ctx.user.email, formOf(req).get('agree') === 'on');
        redirect(res, `/portal/requests/${id}`);
      }), '/portal/requests/{id}/submit'),

    route(
      'GET',
      '/portal/verifier',
      signedIn(
        'GET',
        async (_req, res, ctx) => {
          const t = (key: PortalKey) => portalText(ctx.lang, key);
          // The guides: the applicant's letter and agreement come first, then the verifier.
          const pending = core.store.requestsIn('submitted');
          const rows = pending.map((r) => {
            const user = core.store.findUser(r.email);
            return html`<tr data-request="${r.id}"><td>${when(r.createdAt, ctx.lang)}</td><td>${user?.name ?? r.email}<br><span class="muted">${r.email}</span></td><td>${r.product}</td><td>${t(`type_${r.type}` as PortalKey)}</td>
              <td>${t(`st_${r.status}` as PortalKey)}${r.letter ? ' · PDF' : ''}</td>
              <td><form method="post" action="/portal/verifier/${r.id}">${csrfField(ctx)}<input type="text" name="note" placeholder="${t('note')}" aria-label="${portalText(ctx.lang, 'decisionNote', { name: user?.name ?? r.email })}" data-testid="decision-note">
                <button name="decision" value="approve" data-testid="approve">${t('approve')}</button> <button name="decision" value="reject" class="secondary" data-testid="reject">${t('reject')}</button></form></td></tr>`;
          });
          page(
            res,
            ctx,
            t('pending'),
            html`<p class="muted">${t('verifierOnlySubmitted')}</p>${rows.length
              ? html`<table data-testid="pending"><tr><th>${t('date')}</th><th>${t('user')}</th><th>${t('product')}</th><th>${t('requestType')}</th><th>${t('status')}</th><th>${t('actions')}</th></tr>${rows}</table>`
              : html`<p class="muted">${t('noPending')}</p>`}`,
          );
        },
        { verifier: true },
      ),
    ),
    route(
      'POST',
      /^\/portal\/verifier\/([0-9a-f-]{36})$/,
      signedIn(
        'POST',
        async (req, res, _ctx, [id]) => {
          const form = formOf(req);
          const decision = form.get('decision');
          if (decision !== 'approve' && decision !== 'reject') throw new HttpError(400, 'BAD_REQUEST', 'approve or reject', 'errState');
          await core.decide(id!, decision, form.get('note') || undefined);
          redirect(res, '/portal/verifier');
        },
        { verifier: true },
      ), '/portal/verifier/{id}'),
  ];
}

function asset(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** A form without its CSRF token (forged, or older than its session): 403 and a way back. */
const formExpired = (req: IncomingMessage, res: ServerResponse, lang = langOf(req)) =>
  page(res, { lang }, portalText(lang, 'error'), html`<p class="bad" data-testid="portal-error">${portalText(lang, 'errFormExpired')}</p><p><a href="/portal/login">${portalText(lang, 'back')}</a></p>`, 403);
