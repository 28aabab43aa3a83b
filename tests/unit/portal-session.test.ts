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

  it('ignores malformed cookies instead of failing the page', () => {
    expect(cookies(withCookie('a=%E0%A4%A; b=ok; =x; ;; c')).get('b')).toBe('ok');
    expect(cookies(withCookie('a=%E0%A4%A')).get('a')).toBeUndefined();
    expect(cookies(withCookie('__proto__=x')).get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
