import { describe, expect, it } from 'vitest';
import { channels, contract, type Channel } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { createDispatch, toErrorData, type Handlers } from '../../src-main/services/api-dispatch';
import { boundariesOf, defectsOf, validSamples } from '../support/zod-samples';

/**
 * Generated from src/contract: for EVERY channel, the main-side dispatch
 * refuses a malformed input (wrong type, extra field, missing field, over-long
 * or too-short string) with INPUT_INVALID before any service runs, and lets
 * the valid input, and every string exactly at its length limit, through.
 * A channel added to the contract is covered here without a new case.
 */
function spyDispatch() {
  const calls: { channel: string; input: unknown }[] = [];
  // Every channel's service is a spy that must not run for a malformed input.
  const handlers = new Proxy({} as Handlers, {
    get: (_target, channel) => async (input: unknown) => {
      calls.push({ channel: String(channel), input });
      return null;
    },
  });
  return { calls, dispatch: createDispatch(handlers, () => {}) };
}
const context = { emit: () => {} };

const table = channels.flatMap((channel) => {
  const schema = contract[channel].input;
  const samples = validSamples(schema);
  return samples.map((sample, index) => ({ channel, sample, variant: samples.length > 1 ? ` #${index + 1}` : '', schema }));
});

const malformed = table.flatMap(({ channel, sample, variant, schema }) => [
  ...[42, 'text', [], true].map((value) => ({ channel, title: `${channel}${variant} (input): ${JSON.stringify(value)} instead of an object`, value })),
  ...defectsOf(schema, sample).map((d) => ({ channel, title: `${channel}${variant} ${d.name}`, value: d.value })),
]);

const accepted = table.flatMap(({ channel, sample, variant, schema }) => [
  { channel, title: `${channel}${variant} valid sample`, value: sample },
  ...boundariesOf(schema, sample).map((b) => ({ channel, title: `${channel}${variant} ${b.name}`, value: b.value })),
]);

describe('every contract channel, generated from its schema', () => {
  it('covers every channel, each with malformed inputs, under unique names', () => {
    expect(new Set(malformed.map((m) => m.title)).size).toBe(malformed.length);
    expect(new Set(accepted.map((m) => m.title)).size).toBe(accepted.length);
    expect(new Set(malformed.map((m) => m.channel))).toEqual(new Set(channels));
    // Every input object is strict: an extra field is refused everywhere.
    for (const channel of channels) expect(malformed.some((m) => m.channel === channel && m.title.includes('(input): extra field')), channel).toBe(true);
  });

  it.each(malformed)('$title → INPUT_INVALID, service not called', async ({ channel, value }) => {
    const { calls, dispatch } = spyDispatch();
    const result = await dispatch(channel, value, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(calls).toEqual([]);
  });

  it.each(accepted)('$title → reaches its service once, as parsed', async ({ channel, value }) => {
    const { calls, dispatch } = spyDispatch();
    const result = await dispatch(channel, value, context);
    expect(result).toEqual({ ok: true, value: null });
    expect(calls).toEqual([{ channel, input: contract[channel as Channel].input.parse(value) }]);
  });

  it('an unknown channel is refused without any service running', async () => {
    const { calls, dispatch } = spyDispatch();
    expect(await dispatch('fs.readFile', {}, context)).toEqual({ ok: false, error: { code: 'INPUT_INVALID', detail: 'unknown channel' } });
    expect(await dispatch('__proto__', {}, context)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(calls).toEqual([]);
  });

  it('the refusal names the offending field, never its value', async () => {
    const { dispatch } = spyDispatch();
    const result = await dispatch('request.submit', { token: 'T', keyStore: 'file', password: 'Secret#Pass1', passwordConfirm: 42 }, context);
    expect(result).toEqual({ ok: false, error: { code: 'INPUT_INVALID', detail: 'passwordConfirm' } });
    // Every offending field, nested ones by their dotted path.
    const nested = await dispatch('bundle.create', { certificatePath: 7, key: { kind: 'stored', entryId: 'nope' }, password: 'Secret#Pass1', passwordConfirm: 'x', profile: 'modern' }, context);
    expect(nested).toEqual({ ok: false, error: { code: 'INPUT_INVALID', detail: 'certificatePath, key.entryId' } });
    const whole = await dispatch('request.lookup', 'Secret#Pass1', context);
    expect(whole).toEqual({ ok: false, error: { code: 'INPUT_INVALID', detail: '(input)' } });
  });

  it('a call without input is a call with {}: fine for a channel without fields, refused for one with fields', async () => {
    const { calls, dispatch } = spyDispatch();
    expect(await dispatch('app.info', undefined, context)).toEqual({ ok: true, value: null });
    expect(await dispatch('request.lookup', undefined, context)).toEqual({ ok: false, error: { code: 'INPUT_INVALID', detail: 'token' } });
    expect(calls).toEqual([{ channel: 'app.info', input: {} }]);
  });
});

describe('dispatch outcomes', () => {
  const failing = (error: unknown) => {
    const logged: string[] = [];
    const handlers = new Proxy({} as Handlers, {
      get: () => async () => {
        throw error;
      },
    });
    return { logged, dispatch: createDispatch(handlers, (message) => logged.push(message)) };
  };

  it('a user’s mistake (an expected AppError) keeps its code and detail and is not logged', async () => {
    const { logged, dispatch } = failing(new AppError('TOKEN_UNKNOWN', { detail: 'from AMS' }));
    expect(await dispatch('request.lookup', { token: 'T' }, context)).toEqual({ ok: false, error: { code: 'TOKEN_UNKNOWN', detail: 'from AMS' } });
    expect(logged).toEqual([]);
  });

  it('an outage (an AppError marked unexpected) keeps its code and is logged by channel name only', async () => {
    const { logged, dispatch } = failing(new AppError('PKCS11_ERROR', { expected: false }));
    expect(await dispatch('pkcs11.tokens', { library: '/lib.so' }, context)).toEqual({ ok: false, error: { code: 'PKCS11_ERROR' } });
    expect(logged).toEqual(['pkcs11.tokens failed']);
  });

  it('a bug (any other error) becomes INTERNAL, without its message, and is logged', async () => {
    const { logged, dispatch } = failing(new Error('disk on fire with password Secret#1'));
    expect(await dispatch('ledger.refresh', {}, context)).toEqual({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged).toEqual(['ledger.refresh failed']);
    expect(toErrorData('a string')).toEqual({ code: 'INTERNAL' });
  });
});
