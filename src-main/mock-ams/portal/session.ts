import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PortalLang } from './strings';

export interface Session {
  email: string;
  csrf: string;
}

const COOKIE = 'ams_session';

/** Portal sign-ins, in memory: a restart signs everyone out, which a mock can afford. */
export class Sessions {
  private readonly sessions = new Map<string, Session>();

  start(email: string): { cookie: string; session: Session } {
    const id = randomBytes(24).toString('base64url');
    const session = { email, csrf: randomBytes(16).toString('base64url') };
    this.sessions.set(id, session);
    return { cookie: `${COOKIE}=${id}; Path=/portal; HttpOnly; SameSite=Strict`, session };
  }

  get(req: IncomingMessage): Session | undefined {
    const id = cookies(req)[COOKIE];
    return id ? this.sessions.get(id) : undefined;
  }

  end(req: IncomingMessage): string {
    const id = cookies(req)[COOKIE];
    if (id) this.sessions.delete(id);
    return `${COOKIE}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}

export function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .filter(([name]) => name)
      .map(([name, ...rest]) => [name!, decodeURIComponent(rest.join('='))]),
  );
}

export function langOf(req: IncomingMessage): PortalLang {
  return cookies(req)['ams_lang'] === 'en' ? 'en' : 'id';
}
