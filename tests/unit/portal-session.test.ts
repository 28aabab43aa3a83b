import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookies, SESSION_IDLE_MS, SESSION_MAX_MS, Sessions } from '../../src-main/mock-ams/portal/session';

const withCookie = (cookie: string) => ({ headers: { cookie } }) as unknown as IncomingMessage;

describe('portal sessions', () => {
  it('end after the idle limit, and after the absolute limit even when used all along', () => {
    let now = 0;
    const sessions = new Sessions(() => now);
    const idle = withCookie(sessions.start('a@instansi.go.id').cookie.split(';')[0]!);
    now += SESSION_IDLE_MS - 1;
    expect(sessions.get(idle)).toBeDefined();
    now += SESSION_IDLE_MS + 1;
    expect(sessions.get(idle)).toBeUndefined();

    const busy = withCookie(sessions.start('b@instansi.go.id').cookie.split(';')[0]!);
    for (let used = 0; used < SESSION_MAX_MS; used += SESSION_IDLE_MS / 2) {
      expect(sessions.get(busy)).toBeDefined();
      now += SESSION_IDLE_MS / 2;
    }
    now += 1;
    expect(sessions.get(busy)).toBeUndefined();
  });

  it('the limits are 30 minutes idle and 8 hours in all', () => {
    expect([SESSION_IDLE_MS, SESSION_MAX_MS]).toEqual([30 * 60_000, 8 * 60 * 60_000]);
  });

  it('idle: a session unused for exactly 30 minutes still lives, one unused for 30 minutes and 1 ms is ended', () => {
    let now = 1_000_000;
    const sessions = new Sessions(() => now);
    const a = withCookie(sessions.start('a@instansi.go.id').cookie.split(';')[0]!);
    const b = withCookie(sessions.start('b@instansi.go.id').cookie.split(';')[0]!);
    now += SESSION_IDLE_MS;
    expect(sessions.get(a)?.email).toBe('a@instansi.go.id');
    now += 1;
    // a was seen 1 ms ago; b has been idle for the limit + 1 ms.
    expect(sessions.get(b)).toBeUndefined();
    expect(sessions.get(a)?.email).toBe('a@instansi.go.id');
    // Once ended it stays ended, even if the clock were to go back.
    now -= 10;
    expect(sessions.get(b)).toBeUndefined();
  });

  it('absolute: a session in use all along lives exactly 8 hours and is ended 1 ms later', () => {
    let now = 0;
    const sessions = new Sessions(() => now);
    const busy = withCookie(sessions.start('a@instansi.go.id').cookie.split(';')[0]!);
    const started = now;
    while (now + SESSION_IDLE_MS < started + SESSION_MAX_MS) {
      now += SESSION_IDLE_MS;
      expect(sessions.get(busy)).toBeDefined();
    }
    now = started + SESSION_MAX_MS;
    expect(sessions.get(busy)).toBeDefined();
    now += 1;
    expect(sessions.get(busy)).toBeUndefined();
  });

  it('starting a session sweeps the ones past either limit, and only those', () => {
    let now = 0;
    const sessions = new Sessions(() => now);
    const idle = withCookie(sessions.start('idle@instansi.go.id').cookie.split(';')[0]!);
    const atLimit = withCookie(sessions.start('limit@instansi.go.id').cookie.split(';')[0]!);
    now = SESSION_IDLE_MS;
    expect(sessions.get(atLimit)).toBeDefined();
    now = SESSION_IDLE_MS + 1;
    sessions.start('new@instansi.go.id');
    // Swept at start: even a clock turned back cannot revive it.
    now = 0;
    expect(sessions.get(idle)).toBeUndefined();
    expect(sessions.get(atLimit)).toBeDefined();
  });

  it('a signed-out session is gone; signing out without a session still clears the cookie', () => {
    const sessions = new Sessions(() => 0);
    const cookie = withCookie(sessions.start('a@instansi.go.id').cookie.split(';')[0]!);
    expect(sessions.end(cookie)).toBe('ams_session=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(sessions.get(cookie)).toBeUndefined();
    expect(sessions.end(withCookie(''))).toContain('Max-Age=0');
  });

  it('ignores malformed cookies instead of failing the page', () => {
    expect(cookies(withCookie('a=%E0%A4%A; b=ok; =x; ;; c')).get('b')).toBe('ok');
    expect(cookies(withCookie('a=%E0%A4%A')).get('a')).toBeUndefined();
    expect(cookies(withCookie('__proto__=x')).get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
