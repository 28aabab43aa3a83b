import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime, zoneName } from '../../src/i18n/time';

describe('times carry their zone, so the app and the portal visibly agree', () => {
  const when = new Date('2026-11-30T10:05:00Z');
  it.each([
    ['Asia/Jakarta', 'WIB', '17.05'],
    ['Asia/Pontianak', 'WIB', '17.05'],
    ['Asia/Makassar', 'WITA', '18.05'],
    ['Asia/Jayapura', 'WIT', '19.05'],
  ])('%s is %s', (zone, name, clock) => {
    expect(zoneName(when, zone, 'id')).toBe(name);
    expect(formatTime(when, 'id', zone)).toBe(`${clock} ${name}`);
    expect(formatDateTime(when, 'id', zone)).toMatch(new RegExp(`30/11/(20)?26,? ${clock.replace('.', '[.:]')} ${name}$`));
  });
  it('names other zones too', () => {
    expect(formatTime(when, 'en', 'UTC')).toBe('10:05 UTC');
    expect(zoneName(when, 'Europe/Amsterdam', 'en')).toMatch(/CET|GMT\+1/);
  });
});
