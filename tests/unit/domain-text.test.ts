import { describe, expect, it } from 'vitest';
import { employeeSchema, sameSubject, subjectFor, type Employee } from '../../src/domain/employee';
import { secretFromText } from '../../src/domain/secret-text';

const MAMAN: Employee = {
  name: 'MAMAN',
  unit: 'BIDANG OPERASIONAL',
  organization: 'NAMA INSTANSI',
  email: 'maman@instansi.go.id',
  locality: 'Jakarta Pusat',
  province: 'DKI Jakarta',
  country: 'ID',
};

describe('the certificate subject from the employee data', () => {
  it('is C, ST, L, O, OU, CN, emailAddress in that order, each from its own field', () => {
    expect(subjectFor(MAMAN)).toEqual([
      { shortName: 'C', value: 'ID' },
      { shortName: 'ST', value: 'DKI Jakarta' },
      { shortName: 'L', value: 'Jakarta Pusat' },
      { shortName: 'O', value: 'NAMA INSTANSI' },
      { shortName: 'OU', value: 'BIDANG OPERASIONAL' },
      { shortName: 'CN', value: 'MAMAN' },
      { shortName: 'E', value: 'maman@instansi.go.id' },
    ]);
  });

  it('two subjects are the same whatever the attribute order, and differ by any one value or name', () => {
    const subject = subjectFor(MAMAN);
    expect(sameSubject(subject, [...subject].reverse())).toBe(true);
    expect(sameSubject(subject, subjectFor({ ...MAMAN, unit: 'BIDANG UMUM' }))).toBe(false);
    expect(sameSubject(subject, subject.slice(1))).toBe(false);
    expect(sameSubject(subject, subject.map((a) => (a.shortName === 'L' ? { ...a, shortName: 'ST' as const } : a)))).toBe(false);
  });

  it('employee data from AMS: every field required, names up to 128 characters, a two-letter country', () => {
    expect(employeeSchema.safeParse(MAMAN).success).toBe(true);
    expect(employeeSchema.safeParse({ ...MAMAN, name: 'N'.repeat(128) }).success).toBe(true);
    expect(employeeSchema.safeParse({ ...MAMAN, name: 'N'.repeat(129) }).success).toBe(false);
    expect(employeeSchema.safeParse({ ...MAMAN, unit: '' }).success).toBe(false);
    expect(employeeSchema.safeParse({ ...MAMAN, country: 'IDN' }).success).toBe(false);
    expect(employeeSchema.safeParse({ ...MAMAN, email: 'maman' }).success).toBe(false);
  });
});

describe('a secret as written in a file', () => {
  it.each([
    ['plain', 'Rahasia#1', 'Rahasia#1'],
    ['LF', 'Rahasia#1\n', 'Rahasia#1'],
    ['CRLF', 'Rahasia#1\r\n', 'Rahasia#1'],
    ['CR', 'Rahasia#1\r', 'Rahasia#1'],
    ['a BOM', '\uFEFFRahasia#1\n', 'Rahasia#1'],
    ['a second line', 'Rahasia#1\nsomething else\n', 'Rahasia#1'],
    ['spaces kept', ' Rahasia #1 \n', ' Rahasia #1 '],
    ['a BOM only at the start', 'Ra\uFEFFhasia', 'Ra\uFEFFhasia'],
  ])('%s', (_name, text, secret) => {
    expect(secretFromText(text, 'password')).toBe(secret);
    expect(secretFromText(text, 'token')).toBe(secret);
  });

  it('an empty PIN file is refused; an empty token or password file is left to the caller', () => {
    expect(() => secretFromText('\n', 'pin')).toThrow(expect.objectContaining({ code: 'PKCS11_PIN_INVALID', detail: 'empty PIN' }));
    expect(secretFromText('123456\n', 'pin')).toBe('123456');
    expect(secretFromText('\n', 'token')).toBe('');
    expect(secretFromText('', 'password')).toBe('');
  });

  it('only a password has the 1024-character limit', () => {
    expect(secretFromText('a'.repeat(2000), 'token')).toHaveLength(2000);
    expect(() => secretFromText('a'.repeat(2000), 'password')).toThrow(expect.objectContaining({ code: 'PASSWORD_TOO_LONG', detail: 'max 1024 characters' }));
  });
});
