import type { LedgerEntry } from '../src/contract/api';
import type { Key } from './components/use-t';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Renewal opens, and the reminder shows, 30 days before expiry ("H-30"). */
export const RENEWAL_DAYS = 30;

export interface RowView {
  /** Machine-readable status, for tests and styling. */
  status: string;
  label: Key;
  /** What the user should do next. */
  next: Key;
  vars: Record<string, string>;
  /** Download offered: only for a certificate that is Issued and still valid. */
  download: boolean;
  tone: 'good' | 'warn' | 'bad' | 'muted';
}

/**
 * What a Download-tab row says about a request: the truthful status, as AMS
 * and the portal know it, and the next step. Pure, so every case is tested.
 */
export function rowView(entry: LedgerEntry, now: Date): RowView {
  if (entry.tokenKnown === false) return view('token_unknown', 'dlNeedsToken', 'next_tokenUnknown', 'muted');
  const ams = entry.amsStatus;
  if (entry.state === 'csr_ready' && (ams === undefined || ams === 'awaiting_csr')) return view('csr_ready', 'status_csr_ready', 'next_csr_ready', 'warn');
  switch (ams) {
    case undefined:
      return entry.state === 'downloaded' ? issuedView(entry, now) : view('csr_sent', 'status_csr_sent', 'next_csr_uploaded', 'muted');
    case 'awaiting_csr':
      return view('awaiting_csr', 'status_awaiting_csr', 'next_awaiting_csr', 'warn');
    case 'csr_uploaded':
      return view('csr_uploaded', 'status_csr_uploaded', 'next_csr_uploaded', 'muted');
    case 'submitted':
      return view('submitted', 'status_submitted', 'next_submitted', 'muted');
    case 'rejected':
      return view('rejected', 'status_rejected', 'next_rejected', 'bad');
    case 'enroll_failed':
      return view('enroll_failed', 'status_enroll_failed', 'next_enroll_failed', 'bad');
    case 'revoked':
      return view('revoked', 'status_revoked', 'next_revoked', 'bad');
    case 'issued':
      return issuedView(entry, now);
    default: {
      const unreachable: never = ams;
      return unreachable;
    }
  }
}

function view(status: string, label: Key, next: Key, tone: RowView['tone'], download = false, vars: Record<string, string> = {}): RowView {
  return { status, label, next, vars, download, tone };
}

function issuedView(entry: LedgerEntry, now: Date): RowView {
  const cert = entry.certificate;
  if (cert?.status === 'Revoke') return view('revoked', 'status_revoked', 'next_revoked', 'bad');
  if (cert?.status === 'Renew') return view('renewed', 'cert_Renew', 'next_Renew', 'muted');
  const left = cert ? Date.parse(cert.notAfter) - now.getTime() : Infinity;
  if (cert?.status === 'Expired' || left <= 0) return view('expired', 'cert_Expired', 'next_Expired', 'bad');
  const downloaded = entry.state === 'downloaded';
  if (left <= RENEWAL_DAYS * DAY_MS) {
    return view(downloaded ? 'downloaded' : 'issued', 'status_issued', 'next_expiring', 'warn', true, { days: String(Math.ceil(left / DAY_MS)) });
  }
  return downloaded ? view('downloaded', 'status_issued', 'next_downloaded', 'good', true) : view('issued', 'status_issued', 'next_issued', 'good', true);
}
