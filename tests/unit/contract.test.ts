import { describe, expect, it } from 'vitest';
import { channels, contract } from '../../src/contract/api';
import { channelNames } from '../../src/contract/channels';
import { AppError, bilingualMessage, errorCodes, errorMessages, isErrorCode } from '../../src/contract/errors';
import { createDispatch, type Handlers } from '../../src-main/services/api-dispatch';

describe('contract', () => {
  it('the preload channel list is the contract', () => {
    expect([...channelNames].sort()).toEqual([...channels].sort());
  });

  it('every error code has an Indonesian and an English message', () => {
    for (const code of errorCodes) {
      expect(errorMessages[code].id.length, code).toBeGreaterThan(10);
      expect(errorMessages[code].en.length, code).toBeGreaterThan(10);
      expect(errorMessages[code].id, code).not.toBe(errorMessages[code].en);
    }
    expect(bilingualMessage({ code: 'TOKEN_EXPIRED' })).toBe(`${errorMessages.TOKEN_EXPIRED.id} / ${errorMessages.TOKEN_EXPIRED.en}`);
  });

  it('only a string naming a code is an error code: not an array or object that prints as one', () => {
    expect(isErrorCode('KEY_MISSING')).toBe(true);
    expect(isErrorCode('key_missing')).toBe(false);
    expect(isErrorCode(['KEY_MISSING'])).toBe(false);
    expect(isErrorCode({ toString: () => 'KEY_MISSING' })).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('submit input refuses unknown keys and a non-file/pkcs11 key store', () => {
    const schema = contract['request.submit'].input;
    const good = { token: 'T', keyStore: 'file', password: 'p', passwordConfirm: 'p' };
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse({ ...good, keyStore: 'cloud' }).success).toBe(false);
    expect(schema.safeParse({ ...good, admin: true }).success).toBe(false);
    expect(schema.safeParse({ ...good, password: '' }).success).toBe(false);
  });
});

describe('dispatch', () => {
  const calls: unknown[] = [];
  const logged: string[] = [];
  const handlers = {
    'request.lookup': async (input: unknown) => {
      calls.push(input);
      throw new AppError('TOKEN_UNKNOWN');
    },
    'ledger.refresh': async () => {
      throw new Error('disk on fire with password Secret#1');
    },
  } as unknown as Handlers;
  const dispatch = createDispatch(handlers, (message) => logged.push(message));
  const context = { emit: () => {} };

  it.each([
    ['unknown channel', 'fs.readFile', {}, 'INPUT_INVALID'],
    ['wrong input type', 'request.lookup', { token: 42 }, 'INPUT_INVALID'],
    ['extra keys', 'request.lookup', { token: 'x', evil: 1 }, 'INPUT_INVALID'],
    ['service error keeps its code', 'request.lookup', { token: 'x' }, 'TOKEN_UNKNOWN'],
    ['unexpected error becomes INTERNAL', 'ledger.refresh', {}, 'INTERNAL'],
  ])('%s', async (_name, channel, input, code) => {
    expect(await dispatch(channel, input, context)).toMatchObject({ ok: false, error: { code } });
  });

  it('never calls a service with invalid input, and logs bugs without inputs', async () => {
    calls.length = 0;
    logged.length = 0;
    await dispatch('request.lookup', { token: 42 }, context);
    expect(calls).toEqual([]);
    await dispatch('ledger.refresh', {}, context);
    expect(logged).toEqual(['ledger.refresh failed']);
  });
});
