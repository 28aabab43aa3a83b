import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../../src/domain/password';

describe('passwordStrength (LOCK: must be above 50%)', () => {
  it.each([
    ['', false],
    ['password', false],
    ['password1', false],
    ['Password1!', false], // contains a common word
    ['abcdefgh12', false],
    ['12345678', false],
    ['aaaaaaaaaaaa', false],
    ['Ab1!', false], // too short however mixed
    ['Kunci#Rahasia2026', true],
    ['Tr0ub4dor&3', true],
    ['correct horse battery staple', true],
    ['Jakarta-Selatan-2026', true],
  ])('%j acceptable=%s', (password, acceptable) => {
    expect(passwordStrength(password).acceptable).toBe(acceptable);
  });

  it('scores stay within 0..100 and grow with length and variety', () => {
    const scores = ['a', 'ab1', 'abC1', 'abC1!xyZ', 'abC1!xyZ9#Qw'].map((p) => passwordStrength(p).score);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(100);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});
