import type { Lang } from '../contract/errors';

/** Indonesia's three zones by their own names; elsewhere the zone's short name from Intl. */
const INDONESIAN_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const locale = (lang: Lang) => (lang === 'id' ? 'id-ID' : 'en-GB');

/** The zone a time is shown in: the computer's own unless one is given. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function zoneName(date: Date, timeZone: string, lang: Lang): string {
  const own = INDONESIAN_ZONES[timeZone];
  if (own) return own;
  const part = new Intl.DateTimeFormat(locale(lang), { timeZone, timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "30/11/2026 17.05 WIB": date, time and the zone, so app and portal agree visibly. */
export function formatDateTime(value: Date | string, lang: Lang, timeZone = localZone()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const text = new Intl.DateTimeFormat(locale(lang), { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
  return `${text} ${zoneName(date, timeZone, lang)}`;
}

export function formatDate(value: Date | string, lang: Lang, timeZone = localZone()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat(locale(lang), { timeZone, dateStyle: 'medium' }).format(date);
}

/** "17.05 WIB" */
export function formatTime(value: Date, lang: Lang, timeZone = localZone()): string {
  const text = new Intl.DateTimeFormat(locale(lang), { timeZone, hour: '2-digit', minute: '2-digit' }).format(value);
  return `${text} ${zoneName(value, timeZone, lang)}`;
}
