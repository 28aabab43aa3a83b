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
}

export type ProfileProblem =
  | 'NAME_LETTERS_ONLY'
  | 'NAME_HAS_TITLE'
  | 'NIK_16_DIGITS'
  | 'NIP_18_DIGITS'
  | 'NIP_MUST_BE_NIK'
  | 'POSITION_TOO_LONG'
  | 'POSITION_PUNCTUATION'
  | 'EMAIL_INVALID'
  | 'EMAIL_NOT_GO_ID';

// Academic and professional titles the guides say must not be part of the name.
const TITLES = new Set(['dr', 'drs', 'dra', 'ir', 'prof', 'h', 'hj', 'st', 'se', 'sh', 'mm', 'mt', 'msi', 'mkom', 'skom', 'spd', 'ssi', 'sked', 'amd', 'phd', 'mba', 'mh', 'mpd']);

export function checkProfile(profile: ProfileInput): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
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
  return problems;
}
