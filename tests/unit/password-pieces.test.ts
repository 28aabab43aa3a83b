import { describe, expect, it } from 'vitest';
import { type Pattern, passwordStrength } from '../../src/domain/password';

/**
 * What each guessable piece of a password costs, exactly, in the strength estimate (src/domain/password.ts):
 * the score is round(bits × 100 / 60) of the cheapest way to build the password from pieces and single
 * characters. Every row is 8 characters or more (shorter ones are capped at 40) and below 60 bits, so the
 * score shows the bits; a one-bit difference moves it by 1.67.
 */
const LETTER = Math.log2(26);
const DIGIT = Math.log2(10);
const SYMBOL = Math.log2(33);
const YEAR = Math.log2(100);
const scoreOf = (bits: number) => Math.round((bits * 100) / 60);

// 'Kz#' and the last character surround the piece, so it never starts the password.
const AROUND = 2 * LETTER + SYMBOL;

function expectCost(password: string, bits: number, patterns: Pattern[]): void {
  expect(passwordStrength(password)).toEqual({ score: scoreOf(bits), acceptable: scoreOf(bits) > 50, patterns });
}

describe('single characters: what an attacker tries for characters no pattern explains', () => {
  it('a letter (either case) costs log2(26), a digit log2(10), anything else log2(33)', () => {
    expectCost('Kz#q9$Lm', 4 * LETTER + DIGIT + 2 * SYMBOL + LETTER, []);
    expectCost('x9$Lm2#Vq8', 5 * LETTER + 3 * DIGIT + 2 * SYMBOL, []);
  });
});

describe('dictionary words: common passwords 3 bits, names and words 9, plus case and l33t', () => {
  it.each([
    ['jakarta#', 9 + 0, 'jakarta'], // lower case costs nothing
    ['Jakarta#', 9 + 1, 'Jakarta'], // the first letter capital: one bit
    ['JAKARTA#', 9 + 1, 'JAKARTA'], // all capitals: one bit
    ['jaKarta#', 9 + 1, 'jaKarta'], // one capital elsewhere: one bit
    ['JaKarta#', 9 + 2, 'JaKarta'], // scattered capitals: a bit each
    ['jaKaRta#', 9 + 2, 'jaKaRta'],
    ['JaKaRtA#', 9 + 4, 'JaKaRtA'],
    ['j4k4rt4#', 9 + 1, 'j4k4rt4'], // l33t spelling: one bit
    ['J4k4rt4#', 9 + 1 + 1, 'J4k4rt4'], // capital and l33t
  ])('%j: the word costs %d bits', (password, bits, text) => {
    expectCost(password, bits + SYMBOL, [{ kind: 'word', text }]);
  });

  it.each([
    ['b0g0r', 'word'], // 0 → o
    ['r1zk1', 'name'], // 1 → i
    ['m3ga', 'name'], // 3 → e
    ['b4li', 'word'], // 4 → a
    ['5ari', 'name'], // 5 → s
    ['7ono', 'name'], // 7 → t
    ['b@li', 'word'], // @ → a
    ['$ari', 'name'], // $ → s
    ['rud!', 'name'], // ! → i
  ])('l33t %j is read as a %s, for one bit more', (text, kind) => {
    expectCost(`Kz#${text}9`, AROUND + 9 + 1 + DIGIT, [{ kind: kind as Pattern['kind'], text }]);
  });

  it.each([
    ['p@ssword', 3 + 1], // l33t of "password"
    ['P@SSWORD', 3 + 1 + 1],
    ['PASSWORD', 3 + 1],
  ])('the common password %j costs %d bits', (password, bits) => {
    expectCost(password, bits, [{ kind: 'common', text: password }]);
  });

  it('a name costs as a word does', () => {
    expectCost('Kz#budi7', AROUND + 9 + DIGIT, [{ kind: 'name', text: 'budi' }]);
  });

  it('words and names count from 4 letters; common passwords from 3', () => {
    expectCost('Kz#bali7', AROUND + 9 + DIGIT, [{ kind: 'word', text: 'bali' }]);
    expectCost('Kz#aku97', AROUND + 3 + 2 * DIGIT, [{ kind: 'common', text: 'aku' }]);
    // "ibu" is in the word list, but three letters of a word are not guessed as a word: anywhere in the password.
    expectCost('Kz#ibu97', AROUND + 3 * LETTER + 2 * DIGIT, []);
    expectCost('ibu#Kz97', AROUND + 3 * LETTER + 2 * DIGIT, []);
  });
});

describe('years 1950–2049: log2(100) bits', () => {
  it.each(['1950', '1990', '1999', '2000', '2024', '2049'])('%s is a year', (year) => {
    expectCost(`Kz#q${year}`, AROUND + LETTER + YEAR, [{ kind: 'year', text: year }]);
  });

  it.each(['1949', '2050'])('%s is four digits, not a year', (digits) => {
    expectCost(`Kz#q${digits}`, AROUND + LETTER + 4 * DIGIT, []);
  });
});

describe('keyboard rows and alphabet sequences of 4 or more, either direction: 3 or 4 bits + log2(length) + case', () => {
  it.each([
    ['qwer', 0],
    ['rewq', 0], // backwards
    ['QWER', 1],
    ['QwEr', 2],
  ])('keyboard %j', (run, caseBits) => {
    expectCost(`Kz#${run}7`, AROUND + 3 + Math.log2(4) + caseBits + DIGIT, [{ kind: 'keyboard', text: run }]);
  });

  it.each([
    ['Kz#zxcv7', 'zxcv'], // the bottom row
    ['Kz#qazw7', 'qazw'], // down the left columns
    ['Kz#1qaz7', '1qaz'], // down the left columns from the digits
    ['Kz#wsx37', 'wsx3'],
    ['Kz#7890q', '7890'], // the digit row
    ['Kz#6789q', '6789'], // on the digit row and in 0–9: a keyboard run
  ])('every row: %j has the keyboard run %j', (password, run) => {
    expect(passwordStrength(password).patterns).toEqual([{ kind: 'keyboard', text: run }]);
  });

  it('digits in order that are not on the keyboard row: a sequence', () => {
    expectCost('Kz#0123q', AROUND + 4 + Math.log2(4) + LETTER, [{ kind: 'sequence', text: '0123' }]);
  });

  it('a longer run costs log2 of its length: the 6 keys of "asdfgh"', () => {
    expectCost('Kz#asdfgh7', AROUND + 3 + Math.log2(6) + DIGIT, [{ kind: 'keyboard', text: 'asdfgh' }]);
  });

  it.each([
    ['abcd', 0],
    ['dcba', 0], // backwards
    ['ABCD', 1],
    ['AbCd', 2],
  ])('sequence %j', (run, caseBits) => {
    expectCost(`Kz#${run}7`, AROUND + 4 + Math.log2(4) + caseBits + DIGIT, [{ kind: 'sequence', text: run }]);
  });

  it('a sequence of 6: log2(6)', () => {
    expectCost('Kz#lmnopq7', AROUND + 4 + Math.log2(6) + DIGIT, [{ kind: 'sequence', text: 'lmnopq' }]);
  });

  it('three keys in a row are three characters', () => {
    expectCost('Kz#qwe97', AROUND + 3 * LETTER + 2 * DIGIT, []);
    expectCost('Kz#xyz97', AROUND + 3 * LETTER + 2 * DIGIT, []);
  });
});

describe('repeats of 3 or more: the character once + log2(length)', () => {
  it.each([
    ['Kz#aaaa7', 'aaaa', LETTER + Math.log2(4) + DIGIT],
    ['Kz#7777q', '7777', DIGIT + Math.log2(4) + LETTER],
    ['Kz#q####', '####', LETTER + SYMBOL + Math.log2(4)],
    ['Kz#zzzzzz7', 'zzzzzz', LETTER + Math.log2(6) + DIGIT],
  ])('%j', (password, text, bits) => {
    expectCost(password, AROUND + bits, [{ kind: 'repeat', text }]);
  });
});

describe('pieces add up along the cheapest split', () => {
  it('a word, a year and a symbol', () => {
    expectCost('Jakarta2024!', 9 + 1 + YEAR + SYMBOL, [
      { kind: 'word', text: 'Jakarta' },
      { kind: 'year', text: '2024' },
    ]);
  });

  it('a whole common password beats its parts', () => {
    expectCost('katasandi#', 3 + SYMBOL, [{ kind: 'common', text: 'katasandi' }]);
  });
});
