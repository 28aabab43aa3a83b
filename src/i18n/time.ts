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

/**
 * Building an Intl.DateTimeFormat costs about as much as formatting a hundred
 * dates with one, and a list of a thousand rows formats each: keep them.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function format(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let made = formats.get(key);
  if (!made) formats.set(key, (made = new Intl.DateTimeFormat(locale(lang), options)));
  return made;
}

let zone: { name: string; readAt: number } | undefined;

/**
 * The zone a time is shown in: the computer's own unless one is given. Reading
 * it costs as much as building a format, so it is read again at most once a
 * minute (a travelling user's new zone shows within a minute).
 */
export function localZone(): string {
  const now = Date.now();
  if (!zone || now - zone.readAt > 60_000) zone = { name: Intl.DateTimeFormat().resolvedOptions().timeZone, readAt: now };
  return zone.name;
}

export function zoneName(date: Date, timeZone: string, lang: Lang): string {
  const own = INDONESIAN_ZONES[timeZone];
  if (own) return own;
  const part = format(lang, { timeZone, timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "30/11/2026 17.05 WIB": date, time and the zone, so app and portal agree visibly. */
export function formatDateTime(value: Date | string, lang: Lang, timeZone = localZone()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const text = format(lang, { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
  return `${text} ${zoneName(date, timeZone, lang)}`;
}

export function formatDate(value: Date | string, lang: Lang, timeZone = localZone()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return format(lang, { timeZone, dateStyle: 'medium' }).format(date);
}

/** "17.05 WIB" */
export function formatTime(value: Date, lang: Lang, timeZone = localZone()): string {
  const text = format(lang, { timeZone, hour: '2-digit', minute: '2-digit' }).format(value);
  return `${text} ${zoneName(value, timeZone, lang)}`;
}
