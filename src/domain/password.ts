/**
 * Password strength as LOCK shows it: a percentage that must be above 50.
 * Transparent rules instead of a dictionary-based estimator, so that the meter,
 * the main-process check and the CLI agree and the renderer stays small.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const REQUIRED_STRENGTH = 50;

const COMMON = ['password', 'passw0rd', 'qwerty', 'admin', 'rahasia', 'indonesia', 'bismillah', 'sayang', 'welcome', 'letmein'];

export interface PasswordCheck {
  /** 0..100 */
  score: number;
  acceptable: boolean;
}

export function passwordStrength(password: string): PasswordCheck {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const length = [...password].length;
  let score = Math.min(length, 16) * 2.5 + classes * 15;
  score -= runPenalty(password) + sequencePenalty(password);
  const lower = password.toLowerCase();
  if (COMMON.some((word) => lower.includes(word))) score -= 40;
  if (length < MIN_PASSWORD_LENGTH) score = Math.min(score, 40);
  const clamped = Math.max(0, Math.min(100, Math.round(score)));
  return { score: clamped, acceptable: clamped > REQUIRED_STRENGTH && length >= MIN_PASSWORD_LENGTH };
}

/** aaaa, 1111: every character beyond the second in a run costs. */
function runPenalty(password: string): number {
  let penalty = 0;
  for (let i = 2; i < password.length; i++) {
    if (password[i] === password[i - 1] && password[i] === password[i - 2]) penalty += 5;
  }
  return penalty;
}

/** abcd, 4321: ascending or descending steps of one code point. */
function sequencePenalty(password: string): number {
  let penalty = 0;
  for (let i = 2; i < password.length; i++) {
    const a = password.charCodeAt(i - 2);
    const b = password.charCodeAt(i - 1);
    const c = password.charCodeAt(i);
    if ((b - a === 1 && c - b === 1) || (a - b === 1 && b - c === 1)) penalty += 5;
  }
  return penalty;
}
