import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../../src/domain/password';

describe('passwordStrength (LOCK: must be above 50%)', () => {
  it.each([
    ['', false],
    ['password', false],
    ['password1', false],
    ['Password1!', false], // a common password with the usual decorations
    ['P@ssw0rd2024', false], // l33t and a year do not hide it
    ['Jakarta2024', false], // a city and a year (the old meter gave 73%)
    ['Bismillah123!', false],
    ['Qwerty12345!', false], // a keyboard run
    ['Muhammad1990', false], // a name and a year
    ['Sayangku#2025', false],
    ['abcdefgh12', false],
    ['12345678', false],
    ['aaaaaaaaaaaa', false],
    ['Ab1!', false], // too short however mixed
    ['Kunci#Rahasia2026', true],
    ['Bundle#Pass2026', true],
    ['Tr0ub4dor&3', true],
    ['correct horse battery staple', true],
    ['Jakarta-Selatan-2026', true],
    ['pKv7#mQ2xL', true],
  ])('%j acceptable=%s', (password, acceptable) => {
    expect(passwordStrength(password).acceptable).toBe(acceptable);
  });

  it('a phrase of several words beats one word with a year', () => {
    expect(passwordStrength('Kunci#Rahasia2026').score).toBeGreaterThan(passwordStrength('Jakarta2024').score);
  });

  it('says which guessable pieces it found', () => {
    expect(passwordStrength('Jakarta2024').patterns).toEqual([
      { kind: 'word', text: 'Jakarta' },
      { kind: 'year', text: '2024' },
    ]);
    expect(passwordStrength('Qwerty12345!').patterns.map((p) => p.kind)).toContain('common');
    expect(passwordStrength('x9$Lm2#Vq8').patterns).toEqual([]);
  });

  it('scores stay within 0..100 and grow with length and variety', () => {
    const scores = ['a', 'ab1', 'abC1', 'abC1!xyZ', 'abC1!xyZ9#Qw'].map((p) => passwordStrength(p).score);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(100);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('stays quick on long input', () => {
    expect(passwordStrength('x'.repeat(1024)).score).toBeLessThan(50);
    expect(passwordStrength('Ab3$'.repeat(100)).acceptable).toBe(true);
  });
});
