import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/api';
import type { AppError } from '../../src/contract/errors';
import { MIN_PASSWORD_LENGTH, passwordStrength, REQUIRED_STRENGTH } from '../../src/domain/password';
import { checkProfile, type ProfileInput } from '../../src/domain/profile';
import { checkPin, PASSWORD_MAX_CHARS, secretFromText } from '../../src/domain/secret-text';
import { normalizeToken } from '../../src/domain/token';

/** Every threshold rule of src/domain and the contract, just below, at and just above its limit. */

describe('password strength must be ABOVE 50%, with at least 8 characters', () => {
  it('the rule’s constants are the ones LOCK states', () => {
    expect([REQUIRED_STRENGTH, MIN_PASSWORD_LENGTH]).toEqual([50, 8]);
  });

  // 60 bits make 100%: an unguessable lower-case letter is log2(26) ≈ 4.70 bits, a digit log2(10) ≈ 3.32.
  it.each([
    ['kx739152', 49, false], // 2 letters + 6 digits: 29.3 bits
    ['#73$9152', 50, false], // 2 symbols (log2(33) ≈ 5.04) + 6 digits: 30.0 bits, exactly 50: not above it
    ['kxm73915', 51, true], // 3 letters + 5 digits: 30.7 bits
  ])('%j scores %i → acceptable %s', (password, score, acceptable) => {
    expect(passwordStrength(password)).toMatchObject({ score, acceptable });
  });

  it.each([
    ['Kx#9mQw', 40, false], // 7 chars: capped at 40 however mixed
    ['Kx#9mQwz', 61, true], // 8 chars
  ])('length %j → score %i, acceptable %s', (password, score, acceptable) => {
    expect(passwordStrength(password)).toMatchObject({ score, acceptable });
  });

  it.each(['password', 'passw0rd', 'qwerty', 'admin', 'rahasia', 'indonesia', 'bismillah', 'sayang', 'welcome', 'letmein'])(
    'the common password %j adds almost nothing, in any case',
    (word) => {
      const found = passwordStrength(`Kx#9${word.toUpperCase()}`);
      expect(found.patterns).toContainEqual({ kind: 'common', text: word.toUpperCase() });
      expect(found.score).toBeLessThanOrEqual(passwordStrength('Kx#9').score + 7);
    },
  );

  it('runs, sequences and keyboard rows cost little', () => {
    const base = passwordStrength('Qz#8vKmwadg').score;
    for (const guessable of ['Qz#8vKmaaaa', 'Qz#8vKmabcd', 'Qz#8vKmqwer']) expect(passwordStrength(guessable).score).toBeLessThan(base);
  });

  it('scores are clamped to 0..100', () => {
    expect(passwordStrength('').score).toBe(0);
    expect(passwordStrength('Kx#9mQwzRt5!pLvBn&7Yq@2Wd').score).toBe(100);
  });
});

describe('AMS profile field lengths', () => {
  const MAMAN: ProfileInput = { name: 'MAMAN', nik: '1234567890123456', nip: '199010101925011001', position: 'PELAKSANA', email: 'maman@instansi.go.id', employment: 'ASN' };
  const digits = (n: number) => '1234567890'.repeat(3).slice(0, n);

  it.each([
    [15, ['NIK_16_DIGITS']],
    [16, []],
    [17, ['NIK_16_DIGITS']],
  ])('NIK of %i digits → %j', (n, problems) => {
    expect(checkProfile({ ...MAMAN, nik: digits(n) })).toEqual(problems);
  });

  it.each([
    [17, ['NIP_18_DIGITS']],
    [18, []],
    [19, ['NIP_18_DIGITS']],
  ])('NIP of %i digits (ASN) → %j', (n, problems) => {
    expect(checkProfile({ ...MAMAN, nip: digits(n) })).toEqual(problems);
  });

  it.each([
    [19, []],
    [20, []],
    [21, ['POSITION_TOO_LONG']],
  ])('position of %i characters → %j', (n, problems) => {
    expect(checkProfile({ ...MAMAN, position: 'K'.repeat(n) })).toEqual(problems);
  });

  it('position length counts characters, not UTF-16 units', () => {
    expect(checkProfile({ ...MAMAN, position: `${'K'.repeat(19)}𝐀` })).toEqual([]);
    expect(checkProfile({ ...MAMAN, position: `${'K'.repeat(20)}𝐀` })).toEqual(['POSITION_TOO_LONG']);
  });
});

describe('CSR token shape: 16 to 512 characters', () => {
  it.each([
    [15, 'TOKEN_MALFORMED'],
    [16, null],
    [17, null],
    [511, null],
    [512, null],
    [513, 'TOKEN_MALFORMED'],
  ])('%i characters → %s', (n, code) => {
    const token = 'A1'.repeat(300).slice(0, n);
    if (code) expect(() => normalizeToken(token)).toThrow(expect.objectContaining({ code }));
    else expect(normalizeToken(token)).toBe(token);
  });
});

describe('RSA sizes in the contract: 2048, 3072 or 4096 bits only', () => {
  const submit = (keyBits: number) =>
    contract['request.submit'].input.safeParse({ token: 'T', keyStore: 'pkcs11', library: '/lib.so', tokenSerial: 'S', pin: '1234', keyBits }).success;
  it.each([
    [1024, false],
    [2047, false],
    [2048, true],
    [2049, false],
    [3071, false],
    [3072, true],
    [3073, false],
    [4095, false],
    [4096, true],
    [4097, false],
  ])('%i bits → accepted %s', (bits, accepted) => {
    expect(submit(bits)).toBe(accepted);
  });
});

describe('PIN length: never empty, within the token’s ulMinPinLen..ulMaxPinLen (bytes)', () => {
  const pinCode = (pin: string | undefined, bounds: { minPinLen?: number; maxPinLen?: number }) => {
    try {
      return checkPin(pin, bounds);
    } catch (error) {
      return (error as AppError).code;
    }
  };

  it.each([
    ['3 digits', '123', 'PKCS11_PIN_INVALID'],
    ['4 digits (the minimum)', '1234', '1234'],
    ['5 digits', '12345', '12345'],
    ['7 digits', '1234567', '1234567'],
    ['8 digits (the maximum)', '12345678', '12345678'],
    ['9 digits', '123456789', 'PKCS11_PIN_INVALID'],
  ])('token 4..8: %s → %s', (_name, pin, outcome) => {
    expect(pinCode(pin, { minPinLen: 4, maxPinLen: 8 })).toBe(outcome);
  });

  it('counts UTF-8 bytes, as PKCS#11 does', () => {
    expect(pinCode('éé', { minPinLen: 4, maxPinLen: 8 })).toBe('éé'); // 4 bytes
    expect(pinCode('é1', { minPinLen: 4, maxPinLen: 8 })).toBe('PKCS11_PIN_INVALID'); // 3 bytes
    expect(pinCode('€€1', { minPinLen: 4, maxPinLen: 7 })).toBe('€€1'); // 7 bytes
    expect(pinCode('€€12', { minPinLen: 4, maxPinLen: 7 })).toBe('PKCS11_PIN_INVALID'); // 8 bytes
    expect(pinCode('😀', { minPinLen: 4, maxPinLen: 4 })).toBe('😀'); // 4 bytes
    expect(pinCode('😀1', { minPinLen: 4, maxPinLen: 4 })).toBe('PKCS11_PIN_INVALID');
  });

  it('an empty or missing PIN never reaches a token, whatever its bounds', () => {
    expect(pinCode('', {})).toBe('PKCS11_PIN_INVALID');
    expect(pinCode(undefined, { minPinLen: 0, maxPinLen: 0 })).toBe('PKCS11_PIN_INVALID');
  });

  it('a token that reports no bounds (0, or a maximum below its minimum) gets none beyond “not empty”', () => {
    expect(pinCode('1', { minPinLen: 0, maxPinLen: 0 })).toBe('1');
    expect(pinCode('1'.repeat(300), {})).toBe('1'.repeat(300));
    expect(pinCode('1'.repeat(300), { minPinLen: 4, maxPinLen: 3 })).toBe('1'.repeat(300));
    expect(pinCode('123', { minPinLen: 4, maxPinLen: 3 })).toBe('PKCS11_PIN_INVALID');
    expect(pinCode('1', { minPinLen: 1, maxPinLen: 1 })).toBe('1');
  });
});

describe('a password read from a file: up to 1024 characters', () => {
  it.each([
    [1023, 'ok'],
    [1024, 'ok'],
    [1025, 'PASSWORD_TOO_LONG'],
  ])('%i characters → %s', (n, outcome) => {
    // Astral characters count once each.
    const password = '😀'.repeat(n);
    const read = () => secretFromText(`${password}\n`, 'password');
    if (outcome === 'ok') expect(read()).toBe(password);
    else expect(read).toThrow(expect.objectContaining({ code: outcome }));
    expect(PASSWORD_MAX_CHARS).toBe(1024);
  });
});
