import type * as z from 'zod';
import { channels, contract, type Channel, type EventName, type EventPayload, type Output, type Result } from '../../src/contract/api';
import { AppError, type ErrorData } from '../../src/contract/errors';

export interface CallContext {
  /** Pushes an event to the renderer that made the call. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handlers = {
  [C in Channel]: (input: z.output<(typeof contract)[C]['input']>, context: CallContext) => Promise<Output<C>>;
};

export type Dispatch = (channel: string, input: unknown, context: CallContext) => Promise<Result<unknown>>;

const channelSet = new Set<string>(channels);

/**
 * The one entry point every shell calls: refuses unknown channels, validates
 * the input against the contract before any service sees it, and turns every
 * outcome into a Result. Inputs are never logged: they carry passwords.
 */
export function createDispatch(handlers: Handlers, log: (message: string, error: unknown) => void = console.error): Dispatch {
  return async (channel, input, context) => {
    if (!channelSet.has(channel)) return failure({ code: 'INPUT_INVALID', detail: 'unknown channel' });
    const name = channel as Channel;
    const parsed = contract[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      return failure({ code: 'INPUT_INVALID', detail: parsed.error.issues.map((i) => i.path.join('.') || '(input)').join(', ') });
    }
    try {
      const handler = handlers[name] as (input: unknown, context: CallContext) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data, context) };
    } catch (error) {
      const data = toErrorData(error);
      if (!(error instanceof AppError) || !error.expected) log(`${name} failed`, error);
      return failure(data);
    }
  };
}

export function toErrorData(error: unknown): ErrorData {
  return error instanceof AppError ? error.toData() : { code: 'INTERNAL' };
}

function failure(error: ErrorData): Result<never> {
  return { ok: false, error };
}
