import type { EventPayload } from '../../src/contract/api';
import type { Lang } from '../../src/contract/errors';
import { formatDate } from '../../src/i18n/time';
import { translateWindow } from '../../src/i18n/window-catalogue';
import type { Notify } from './certificate-service';
import type { Settings } from './settings';

/** A notice in the user's language, as the shells show it (desktop notification, test record). */
export function noticeText(notice: Parameters<Notify>[0], lang: Lang): EventPayload<'app.onDidNotify'> {
  const { entry, kind } = notice;
  const vars = {
    name: entry.employee.name,
    product: entry.product,
    note: entry.note ?? '',
    date: entry.certificate ? formatDate(entry.certificate.notAfter, lang) : '',
  };
  const [title, body] =
    kind === 'issued'
      ? (['notifyIssuedTitle', 'notifyIssuedBody'] as const)
      : kind === 'rejected'
        ? (['notifyRejectedTitle', 'notifyRejectedBody'] as const)
        : (['notifyExpiringTitle', 'notifyExpiringBody'] as const);
  return { kind, entryId: entry.id, title: translateWindow(lang, title), body: translateWindow(lang, body, vars).trim() };
}

export function languageSetting(settings: Settings): { language?: Lang } {
  return settings.language ? { language: settings.language } : {};
}
