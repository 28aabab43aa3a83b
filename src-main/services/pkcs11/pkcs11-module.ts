/**
 * The part of pkcs11js's PKCS11 class that TokenDriver calls. Tests hand the
 * driver a stand-in with the same shape to reach states SoftHSM2 never shows
 * (a PIN about to lock, a removed token, a template refused).
 */
import type * as Pkcs11js from 'pkcs11js';
import { nativeRequire } from '../native-require';

export type Handle = Buffer;

export interface Attribute {
  type: number;
  value?: number | boolean | string | Buffer | Date;
}

export interface Pkcs11Module {
  load(path: string): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetSlotInfo(slot: Handle): { slotDescription: string; flags: number };
  C_GetTokenInfo(slot: Handle): { label: string; manufacturerID: string; model: string; serialNumber: string; flags: number; minPinLen?: number; maxPinLen?: number };
  C_GetMechanismList(slot: Handle): number[];
  C_GetMechanismInfo(slot: Handle, mech: number): { minKeySize: number; maxKeySize: number; flags: number };
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_SetPIN(session: Handle, oldPin: string, newPin: string): void;
  C_GenerateKeyPair(session: Handle, mechanism: { mechanism: number }, publicTemplate: Attribute[], privateTemplate: Attribute[]): { publicKey: Handle; privateKey: Handle };
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[];
  C_SetAttributeValue(session: Handle, object: Handle, template: Attribute[]): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void;
  C_Sign(session: Handle, data: Buffer, out: Buffer): Buffer;
  C_CreateObject(session: Handle, template: Attribute[]): Handle;
  C_DestroyObject(session: Handle, object: Handle): void;
}

/** The real module; loaded on demand so a missing addon only breaks the token path. */
export function realPkcs11Module(): Pkcs11Module {
  const pkcs11js = nativeRequire('pkcs11js') as typeof Pkcs11js;
  return new pkcs11js.PKCS11();
}
