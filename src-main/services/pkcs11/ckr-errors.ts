import { AppError, type ErrorCode } from '../../../src/contract/errors';
import { CKR, ckrName } from './constants';

/** The one table from PKCS#11 return values to what the user is told. */
const table = new Map<number, ErrorCode>([
  [CKR.PIN_INCORRECT, 'PKCS11_PIN_INCORRECT'],
  [CKR.PIN_INVALID, 'PKCS11_PIN_INVALID'],
  [CKR.PIN_LEN_RANGE, 'PKCS11_PIN_INVALID'],
  [CKR.PIN_LOCKED, 'PKCS11_PIN_LOCKED'],
  [CKR.PIN_EXPIRED, 'PKCS11_PIN_MUST_CHANGE'],
  [CKR.USER_PIN_NOT_INITIALIZED, 'PKCS11_PIN_LOCKED'],
  [CKR.DEVICE_REMOVED, 'PKCS11_TOKEN_REMOVED'],
  [CKR.TOKEN_NOT_PRESENT, 'PKCS11_TOKEN_REMOVED'],
  [CKR.SESSION_CLOSED, 'PKCS11_TOKEN_REMOVED'],
  [CKR.SESSION_HANDLE_INVALID, 'PKCS11_TOKEN_REMOVED'],
  [CKR.SLOT_ID_INVALID, 'PKCS11_TOKEN_REMOVED'],
  [CKR.DEVICE_MEMORY, 'PKCS11_TOKEN_FULL'],
  [CKR.MECHANISM_INVALID, 'PKCS11_MECHANISM_UNSUPPORTED'],
  [CKR.MECHANISM_PARAM_INVALID, 'PKCS11_MECHANISM_UNSUPPORTED'],
  [CKR.KEY_SIZE_RANGE, 'PKCS11_MECHANISM_UNSUPPORTED'],
  [CKR.TOKEN_WRITE_PROTECTED, 'PKCS11_TOKEN_WRITE_PROTECTED'],
  [CKR.FUNCTION_CANCELED, 'PKCS11_CANCELLED'],
]);

/** CKR values after which a smaller, sign-only key template is worth a try. */
export const TEMPLATE_REJECTED = new Set<number>([
  CKR.TEMPLATE_INCONSISTENT,
  CKR.TEMPLATE_INCOMPLETE,
  CKR.ATTRIBUTE_VALUE_INVALID,
  CKR.ATTRIBUTE_TYPE_INVALID,
  CKR.ATTRIBUTE_READ_ONLY,
]);

export function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Any error from a pkcs11js call as an AppError; the CKR name goes into the detail. */
export function toTokenError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const ckr = ckrOf(error);
  if (ckr === undefined) return new AppError('PKCS11_ERROR', { detail: (error as Error)?.message, cause: error, expected: false });
  return new AppError(table.get(ckr) ?? 'PKCS11_ERROR', { detail: ckrName(ckr), cause: error });
}
