import { describe, expect, it } from 'vitest';
import { AppError, errorMessages, isErrorCode, messageFor } from '../../src/contract/errors';
import { ipcChannel } from '../../src/contract/channels';
import { employeeSchema, sameSubject } from '../../src/domain/employee';
import { checkProfile, type ProfileInput } from '../../src/domain/profile';
import { checkPin } from '../../src/domain/secret-text';

/** Rules whose every branch and word is a promise, stated one by one (found by mutation testing). */

const MAMAN: ProfileInput = { name: 'MAMAN', nik: '1234567890123456', nip: '199010101925011001', position: 'PELAKSANA', email: 'maman@instansi.go.id', employment: 'ASN' };

describe('AMS profile rules, word by word', () => {
  it.each(['dr', 'drs', 'dra', 'ir', 'prof', 'h', 'hj', 'st', 'se', 'sh', 'mm', 'mt', 'msi', 'mkom', 'skom', 'spd', 'ssi', 'sked', 'amd', 'phd', 'mba', 'mh', 'mpd'])(
    'the title %j is not part of a name, in any case and position',
    (title) => {
      expect(checkProfile({ ...MAMAN, name: `${title.toUpperCase()} MAMAN` })).toEqual(['NAME_HAS_TITLE']);
      expect(checkProfile({ ...MAMAN, name: `Maman ${title}` })).toEqual(['NAME_HAS_TITLE']);
    },
  );

  it('a title inside a longer word is not a title', () => {
    expect(checkProfile({ ...MAMAN, name: 'Hendra Mmmm' })).toEqual([]);
    expect(checkProfile({ ...MAMAN, name: 'Drajat Irawan' })).toEqual([]);
  });

  it('surrounding spaces in the name and the e-mail are ignored', () => {
    expect(checkProfile({ ...MAMAN, name: '  MAMAN  ', email: '  Maman@Instansi.GO.ID  ' })).toEqual([]);
  });

  it.each([
    ['maman kasim@instansi.go.id', 'EMAIL_INVALID'],
    ['maman@instansi.go.id extra', 'EMAIL_INVALID'],
    ['maman@localhost', 'EMAIL_INVALID'],
    ['maman@go.id', null],
    ['maman@tokogo.id', 'EMAIL_NOT_GO_ID'],
    ['maman@go.id.example.com', 'EMAIL_NOT_GO_ID'],
  ])('e-mail %j → %s', (email, problem) => {
    expect(checkProfile({ ...MAMAN, email })).toEqual(problem ? [problem] : []);
  });
});

describe('employee data from AMS: every text field 1..128 characters', () => {
  const employee = { name: 'MAMAN', unit: 'U', organization: 'O', email: 'maman@instansi.go.id', locality: 'L', province: 'P', country: 'ID' };
  it.each(['name', 'unit', 'organization', 'locality', 'province'])('%s', (field) => {
    expect(employeeSchema.safeParse({ ...employee, [field]: 'N'.repeat(128) }).success).toBe(true);
    expect(employeeSchema.safeParse({ ...employee, [field]: 'N'.repeat(129) }).success).toBe(false);
    expect(employeeSchema.safeParse({ ...employee, [field]: '' }).success).toBe(false);
    expect(employeeSchema.safeParse({ ...employee, [field]: 'N' }).success).toBe(true);
  });
  it('email up to 128 characters', () => {
    const email = (n: number) => `${'m'.repeat(n - '@instansi.go.id'.length)}@instansi.go.id`;
    expect(employeeSchema.safeParse({ ...employee, email: email(64) }).success).toBe(true);
    expect(employeeSchema.safeParse({ ...employee, email: `${'m'.repeat(64)}@${'i'.repeat(57)}.go.id` }).success).toBe(true); // 128
    expect(employeeSchema.safeParse({ ...employee, email: `${'m'.repeat(64)}@${'i'.repeat(58)}.go.id` }).success).toBe(false); // 129
  });
});

describe('PIN bounds: what the person is told', () => {
  const detail = (pin: string | undefined, bounds: { minPinLen?: number; maxPinLen?: number }) => {
    try {
      checkPin(pin, bounds);
      return 'ok';
    } catch (error) {
      return (error as AppError).detail;
    }
  };
  it('names the token’s range, and “1” as the minimum when the token gives none', () => {
    expect(detail('', {})).toBe('empty PIN');
    expect(detail(undefined, {})).toBe('empty PIN');
    expect(detail('123', { minPinLen: 4, maxPinLen: 8 })).toBe('this token takes a PIN of 4–8 characters');
    expect(detail('12345', { minPinLen: 0, maxPinLen: 4 })).toBe('this token takes a PIN of 1–4 characters');
    expect(detail('12345', { maxPinLen: 4 })).toBe('this token takes a PIN of 1–4 characters');
    expect(detail('12', { minPinLen: 3 })).toBe('this token takes a PIN of 3–… characters');
  });
  it('a token reporting a nonsensical negative minimum gets the minimum of 1', () => {
    expect(detail('1234', { minPinLen: -1, maxPinLen: 3 })).toBe('this token takes a PIN of 1–3 characters');
  });
  it('UTF-8 length steps at U+0080, U+0800 and U+10000', () => {
    const fits = (pin: string, bytes: number) => detail(pin, { minPinLen: bytes, maxPinLen: bytes }) === 'ok';
    expect([fits('\u007f', 1), fits('\u0080', 2), fits('\u07ff', 2), fits('\u0800', 3), fits('\uffff', 3), fits('\u{10000}', 4)]).toEqual([true, true, true, true, true, true]);
  });
});

describe('AppError and messages', () => {
  it('carries its code, the English message and the detail in its message, and is named AppError', () => {
    const error = new AppError('TOKEN_EMPTY', { detail: 'from the clipboard' });
    expect(error.message).toBe(`TOKEN_EMPTY: ${errorMessages.TOKEN_EMPTY.en} (from the clipboard)`);
    expect(new AppError('TOKEN_EMPTY').message).toBe(`TOKEN_EMPTY: ${errorMessages.TOKEN_EMPTY.en}`);
    expect(error.name).toBe('AppError');
    expect(error.toData()).toEqual({ code: 'TOKEN_EMPTY', detail: 'from the clipboard' });
    // No detail key at all: the data crosses IPC and the CLI as it is.
    expect(new AppError('TOKEN_EMPTY').toData()).toStrictEqual({ code: 'TOKEN_EMPTY' });
  });

  it('is expected unless it is INTERNAL or said otherwise', () => {
    expect(new AppError('TOKEN_EMPTY').expected).toBe(true);
    expect(new AppError('INTERNAL').expected).toBe(false);
    expect(new AppError('TOKEN_EMPTY', { expected: false }).expected).toBe(false);
    expect(new AppError('INTERNAL', { expected: true }).expected).toBe(true);
  });

  it('messages in either language, with the detail in brackets', () => {
    expect(messageFor({ code: 'TOKEN_EMPTY' }, 'id')).toBe(errorMessages.TOKEN_EMPTY.id);
    expect(messageFor({ code: 'TOKEN_EMPTY', detail: 'x' }, 'en')).toBe(`${errorMessages.TOKEN_EMPTY.en} (x)`);
  });

  it('isErrorCode knows the codes and nothing else', () => {
    expect(isErrorCode('TOKEN_EMPTY')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('NOPE')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('small promises', () => {
  it('subjects compare attribute by attribute: one value holding two attributes’ text is not them', () => {
    expect(sameSubject([{ shortName: 'C', value: 'ACN=B' }], [{ shortName: 'C', value: 'A' }, { shortName: 'CN', value: 'B' }])).toBe(false);
  });
  it('every IPC channel name carries the lock: prefix the preload filters on', () => {
    expect(ipcChannel('app.info')).toBe('lock:app.info');
  });
});
