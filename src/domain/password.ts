/**
 * Password strength as LOCK shows it: a percentage that must be above 50.
 *
 * The percentage is an estimate of how many guesses an attacker needs, in the
 * spirit of zxcvbn but small enough for the renderer: the password is split into
 * the cheapest sequence of pieces an attacker would try — common Indonesian and
 * English passwords and words, names, cities, years, keyboard runs, alphabet
 * sequences, repeats — and any remaining characters, each piece costing its
 * bits; 60 bits make 100%. The pieces found are returned, so the meter can say
 * why ("Jakarta: kata umum, 2024: tahun"). The same function runs in the
 * renderer, the main process and the CLI, so they always agree.
 */
import { COMMON_PASSWORDS, NAMES, WORDS } from './password-words';

export const MIN_PASSWORD_LENGTH = 8;
export const REQUIRED_STRENGTH = 50;
/** Bits that make 100%. */
const FULL_BITS = 60;

export type PatternKind = 'common' | 'word' | 'name' | 'year' | 'keyboard' | 'sequence' | 'repeat';

export interface Pattern {
  kind: PatternKind;
  /** The piece of the password as typed. */
  text: string;
}

export interface PasswordCheck {
  /** 0..100 */
  score: number;
  acceptable: boolean;
  /** The guessable pieces found, in order. */
  patterns: Pattern[];
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'qazwsxedc', '1qaz2wsx3edc'];
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789'];
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
const DICTIONARIES: [PatternKind, ReadonlySet<string>, number][] = [
  ['common', COMMON_PASSWORDS, 3],
  ['name', NAMES, 9],
  ['word', WORDS, 9],
];

interface Match {
  start: number;
  end: number;
  bits: number;
  pattern?: Pattern;
}

function charBits(c: string): number {
  if (/[a-z]/.test(c) || /[A-Z]/.test(c)) return Math.log2(26);
  if (/[0-9]/.test(c)) return Math.log2(10);
  return Math.log2(33);
}

/** Capital letters in a word cost a bit when only the first is capital, more when scattered. */
function caseBits(text: string): number {
  const upper = [...text].filter((c) => c !== c.toLowerCase()).length;
  if (upper === 0 || text === text.toUpperCase()) return upper === 0 ? 0 : 1;
  return text[0] !== text[0]!.toLowerCase() && upper === 1 ? 1 : upper;
}

function findMatches(password: string): Match[] {
  const lower = password.toLowerCase();
  const unleet = [...lower].map((c) => LEET[c] ?? c).join('');
  const matches: Match[] = [];
  const n = password.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 3; j <= n; j++) {
      const text = password.slice(i, j);
      for (const [kind, words, bits] of DICTIONARIES) {
        const plain = words.has(lower.slice(i, j));
        if ((plain || words.has(unleet.slice(i, j))) && (j - i >= 4 || kind === 'common')) {
          matches.push({ start: i, end: j, bits: bits + caseBits(text) + (plain ? 0 : 1), pattern: { kind, text } });
        }
      }
      const piece = lower.slice(i, j);
      if (j - i === 4 && /^(19[5-9]\d|20[0-4]\d)$/.test(piece)) matches.push({ start: i, end: j, bits: Math.log2(100), pattern: { kind: 'year', text } });
      if (j - i >= 4) {
        const reversed = [...piece].reverse().join('');
        if (KEYBOARD_ROWS.some((row) => row.includes(piece) || row.includes(reversed))) {
          matches.push({ start: i, end: j, bits: 3 + Math.log2(j - i) + caseBits(text), pattern: { kind: 'keyboard', text } });
        } else if (SEQUENCES.some((seq) => seq.includes(piece) || seq.includes(reversed))) {
          matches.push({ start: i, end: j, bits: 4 + Math.log2(j - i) + caseBits(text), pattern: { kind: 'sequence', text } });
        }
      }
      if (piece === piece[0]!.repeat(j - i)) matches.push({ start: i, end: j, bits: charBits(piece[0]!) + Math.log2(j - i), pattern: { kind: 'repeat', text } });
    }
  }
  return matches;
}

/** The cheapest way to build the password from pieces and single characters, as an attacker would. */
function cheapest(password: string): { bits: number; patterns: Pattern[] } {
  const n = password.length;
  const best: { bits: number; patterns: Pattern[] }[] = [{ bits: 0, patterns: [] }];
  const byEnd = new Map<number, Match[]>();
  for (const m of findMatches(password)) byEnd.set(m.end, [...(byEnd.get(m.end) ?? []), m]);
  for (let end = 1; end <= n; end++) {
    let choice = { bits: best[end - 1]!.bits + charBits(password[end - 1]!), patterns: best[end - 1]!.patterns };
    for (const m of byEnd.get(end) ?? []) {
      const bits = best[m.start]!.bits + m.bits;
      if (bits < choice.bits) choice = { bits, patterns: [...best[m.start]!.patterns, m.pattern!] };
    }
    best.push(choice);
  }
  return best[n]!;
}

export function passwordStrength(password: string): PasswordCheck {
  // Very long inputs are strong anyway; bounding the work keeps typing smooth.
  const { bits, patterns } = cheapest(password.slice(0, 64));
  const length = [...password].length;
  let score = Math.round((bits * 100) / FULL_BITS);
  if (length < MIN_PASSWORD_LENGTH) score = Math.min(score, 40);
  const clamped = Math.max(0, Math.min(100, score));
  return { score: clamped, acceptable: clamped > REQUIRED_STRENGTH && length >= MIN_PASSWORD_LENGTH, patterns };
}
