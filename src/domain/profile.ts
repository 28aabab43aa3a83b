/**
 * AMS profile data rules (AMS guides, seeds 001 and 004). The mock enforces
 * them when QA creates users, so test data looks like real AMS data.
 */
export interface ProfileInput {
  name: string;
  nik: string;
  nip: string;
  position: string;
  email: string;
  employment: 'ASN' | 'Lainnya';
  unit?: string;
  organization?: string;
  locality?: string;
  province?: string;
}

/**
 * Upper bounds of the certificate fields each profile field becomes (RFC 5280
 * appendix A: ub-common-name, ub-organizational-unit-name, ub-organization-name,
 * ub-locality-name, ub-state-name, ub-title, ub-emailaddress-length).
 */
export const FIELD_LIMITS = { name: 64, unit: 64, organization: 64, locality: 128, province: 128, position: 64, email: 255 } as const;
type TextField = keyof typeof FIELD_LIMITS;

export type ProfileProblem =
  | 'NAME_LETTERS_ONLY'
  | 'NAME_HAS_TITLE'
  | 'NIK_16_DIGITS'
  | 'NIP_18_DIGITS'
  | 'NIP_MUST_BE_NIK'
  | 'POSITION_TOO_LONG'
  | 'POSITION_PUNCTUATION'
  | 'EMAIL_INVALID'
  | 'EMAIL_NOT_GO_ID'
  | 'FIELD_EMPTY'
  | 'FIELD_TOO_LONG'
  | 'FIELD_CONTROL_CHARACTERS'
  | 'FIELD_MARKUP';

// C0/C1 controls, DEL, and the invisible bidi overrides that disguise text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MARKUP = /[<>&"]|javascript:/i;

/** Every text field trimmed (and the e-mail lowercased): the form AMS stores and compares. */
export function normalizeProfile<T extends ProfileInput>(profile: T): T {
  const out = { ...profile } as Record<string, unknown>;
  for (const field of Object.keys(FIELD_LIMITS) as TextField[]) {
    const value = out[field];
    if (typeof value === 'string') out[field] = value.trim();
  }
  out['email'] = profile.email.trim().toLowerCase();
  return out as unknown as T;
}

/** Trim, no control characters, no markup, within the certificate's upper bounds: for every text field present. */
function checkFields(profile: ProfileInput, problems: ProfileProblem[]): void {
  for (const field of Object.keys(FIELD_LIMITS) as TextField[]) {
    const value = profile[field];
    if (value === undefined) continue;
    if (value.trim() === '') problems.push('FIELD_EMPTY');
    if ([...value.trim()].length > FIELD_LIMITS[field]) problems.push('FIELD_TOO_LONG');
    if (CONTROL.test(value)) problems.push('FIELD_CONTROL_CHARACTERS');
    if (MARKUP.test(value)) problems.push('FIELD_MARKUP');
  }
}

// Academic and professional titles the guides say must not be part of the name.
const TITLES = new Set(['dr', 'drs', 'dra', 'ir', 'prof', 'h', 'hj', 'st', 'se', 'sh', 'mm', 'mt', 'msi', 'mkom', 'skom', 'spd', 'ssi', 'sked', 'amd', 'phd', 'mba', 'mh', 'mpd']);

export function checkProfile(profile: ProfileInput): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  checkFields(profile, problems);
  const name = profile.name.trim();
  if (!/^\p{L}+(?: \p{L}+)*$/u.test(name)) problems.push('NAME_LETTERS_ONLY');
  else if (name.split(' ').some((word) => TITLES.has(word.toLowerCase()))) problems.push('NAME_HAS_TITLE');
  if (!/^\d{16}$/.test(profile.nik)) problems.push('NIK_16_DIGITS');
  if (profile.employment === 'Lainnya') {
    if (profile.nip !== profile.nik) problems.push('NIP_MUST_BE_NIK');
  } else if (!/^\d{18}$/.test(profile.nip)) {
    problems.push('NIP_18_DIGITS');
  }
  if ([...profile.position].length > 20) problems.push('POSITION_TOO_LONG');
  if (/[.()]/.test(profile.position)) problems.push('POSITION_PUNCTUATION');
  const email = profile.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push('EMAIL_INVALID');
  else if (profile.employment === 'ASN' && !/(^|\.)go\.id$/.test(email.split('@')[1]!)) problems.push('EMAIL_NOT_GO_ID');
  return [...new Set(problems)];
}
