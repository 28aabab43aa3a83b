import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contract/errors';
import { ckrOf, TEMPLATE_REJECTED, toTokenError } from '../../src-main/services/pkcs11/ckr-errors';
import { CKR, ckrName } from '../../src-main/services/pkcs11/constants';

/** The one table from PKCS#11 return values to what the user is told, row by row. */
const pkcs11Error = (ckr: number) => Object.assign(new Error(ckrName(ckr)), { code: ckr });

describe('PKCS#11 error mapping', () => {
  it.each([
    ['PIN_INCORRECT', 'PKCS11_PIN_INCORRECT'],
    ['PIN_INVALID', 'PKCS11_PIN_INVALID'],
    ['PIN_LEN_RANGE', 'PKCS11_PIN_INVALID'],
    ['PIN_LOCKED', 'PKCS11_PIN_LOCKED'],
    ['PIN_EXPIRED', 'PKCS11_PIN_MUST_CHANGE'],
    ['USER_PIN_NOT_INITIALIZED', 'PKCS11_PIN_LOCKED'],
    ['DEVICE_REMOVED', 'PKCS11_TOKEN_REMOVED'],
    ['TOKEN_NOT_PRESENT', 'PKCS11_TOKEN_REMOVED'],
    ['SESSION_CLOSED', 'PKCS11_TOKEN_REMOVED'],
    ['SESSION_HANDLE_INVALID', 'PKCS11_TOKEN_REMOVED'],
    ['SLOT_ID_INVALID', 'PKCS11_TOKEN_REMOVED'],
    ['DEVICE_MEMORY', 'PKCS11_TOKEN_FULL'],
    ['MECHANISM_INVALID', 'PKCS11_MECHANISM_UNSUPPORTED'],
    ['MECHANISM_PARAM_INVALID', 'PKCS11_MECHANISM_UNSUPPORTED'],
    ['KEY_SIZE_RANGE', 'PKCS11_MECHANISM_UNSUPPORTED'],
    ['TOKEN_WRITE_PROTECTED', 'PKCS11_TOKEN_WRITE_PROTECTED'],
    ['FUNCTION_CANCELED', 'PKCS11_CANCELLED'],
    ['GENERAL_ERROR', 'PKCS11_ERROR'],
    ['DEVICE_ERROR', 'PKCS11_ERROR'],
    ['TEMPLATE_INCONSISTENT', 'PKCS11_ERROR'],
  ] as const)('CKR_%s → %s, an expected error naming the CKR', (name, code) => {
    const error = toTokenError(pkcs11Error(CKR[name]));
    expect(error).toBeInstanceOf(AppError);
    expect({ code: error.code, detail: error.detail, expected: error.expected }).toEqual({ code, detail: `CKR_${name}`, expected: true });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('a CKR this table has no name for keeps its number in the detail', () => {
    expect(toTokenError(pkcs11Error(0x1234)).toData()).toEqual({ code: 'PKCS11_ERROR', detail: 'CKR_0x1234' });
  });

  it('an error that is not a PKCS#11 one is an unexpected PKCS11_ERROR with its message', () => {
    const error = toTokenError(new TypeError('native addon crashed'));
    expect({ code: error.code, detail: error.detail, expected: error.expected }).toEqual({ code: 'PKCS11_ERROR', detail: 'native addon crashed', expected: false });
    expect(toTokenError(Object.assign(new Error('odd'), { code: 'EIO' })).detail).toBe('odd');
    expect(toTokenError(null).code).toBe('PKCS11_ERROR');
  });

  it('an AppError passes through unchanged', () => {
    const original = new AppError('PKCS11_PIN_FINAL_TRY');
    expect(toTokenError(original)).toBe(original);
  });

  it('ckrOf reads a numeric code only', () => {
    expect(ckrOf(pkcs11Error(CKR.PIN_LOCKED))).toBe(CKR.PIN_LOCKED);
    expect(ckrOf({ code: '164' })).toBeUndefined();
    expect(ckrOf(null)).toBeUndefined();
    expect(ckrOf(undefined)).toBeUndefined();
    expect(ckrOf(0)).toBeUndefined();
  });

  it('exactly the template refusals lead to the minimal template', () => {
    expect([...TEMPLATE_REJECTED].sort((a, b) => a - b)).toEqual(
      [CKR.ATTRIBUTE_READ_ONLY, CKR.ATTRIBUTE_TYPE_INVALID, CKR.ATTRIBUTE_VALUE_INVALID, CKR.TEMPLATE_INCOMPLETE, CKR.TEMPLATE_INCONSISTENT].sort((a, b) => a - b),
    );
  });
});
