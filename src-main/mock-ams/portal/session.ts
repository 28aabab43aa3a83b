import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PortalLang } from './strings';

export interface Session {
  email: string;
  csrf: string;
  startedAt: number;
  seenAt: number;
}

const COOKIE = 'ams_session';
const LOGIN_COOKIE = 'ams_login';
/** Signed out after this long without a page, and after this long in any case. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 8 * 60 * 60_000;
const COOKIE_ATTRIBUTES = 'Path=/portal; HttpOnly; SameSite=Strict';

/** Portal sign-ins, in memory: a restart signs everyone out, which a mock can afford. */
export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  start(email: string): { cookie: string; session: Session } {
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    const at = this.now();
    const session = { email, csrf: randomBytes(16).toString('base64url'), startedAt: at, seenAt: at };
    this.sessions.set(id, session);
    return { cookie: `${COOKIE}=${id}; ${COOKIE_ATTRIBUTES}`, session };
  }

  /** The live session of this request; an idle or too old one is ended here. */
  get(req: IncomingMessage): Session | undefined {
    const id = cookies(req).get(COOKIE);
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!id || !session) return undefined;
    const at = this.now();
    if (at - session.seenAt > SESSION_IDLE_MS || at - session.startedAt > SESSION_MAX_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    session.seenAt = at;
    return session;
  }

  end(req: IncomingMessage): string {
    const id = cookies(req).get(COOKIE);
    if (id) this.sessions.delete(id);
    return `${COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;
  }

  /** Login CSRF (double submit): the login form carries the value its cookie holds. */
  loginChallenge(): { cookie: string; csrf: string } {
    const csrf = randomBytes(16).toString('base64url');
    return { cookie: `${LOGIN_COOKIE}=${csrf}; ${COOKIE_ATTRIBUTES}; Max-Age=3600`, csrf };
  }

  loginChallengeMet(req: IncomingMessage, formCsrf: string | null): boolean {
    return sameSecret(cookies(req).get(LOGIN_COOKIE), formCsrf ?? undefined);
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, s] of this.sessions) if (at - s.seenAt > SESSION_IDLE_MS || at - s.startedAt > SESSION_MAX_MS) this.sessions.delete(id);
  }
}

/** Constant-time comparison of two secrets; a missing one never matches. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The request's cookies; a malformed one (bad %-escape, no name) is ignored, never an error. */
export function cookies(req: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return found;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      if (name && !found.has(name)) found.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // Not %-encoded properly: as if absent.
    }
  }
  return found;
}

export function langOf(req: IncomingMessage): PortalLang {
  return cookies(req).get('ams_lang') === 'en' ? 'en' : 'id';
}
