import type { Channel, Input, LockApi, Output } from '../src/contract/api';
import type { ErrorData } from '../src/contract/errors';

declare global {
  interface Window {
    lock: LockApi;
  }
}

/** An error from the main side, carrying its contract code. */
export class CallError extends Error {
  constructor(readonly data: ErrorData) {
    super(data.code);
  }
}

/** Calls the main side through `window.lock`; rejects with CallError on failure. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const api = window.lock as unknown as Record<C, (input: Input<C>) => ReturnType<LockApi[C]>>;
  const result = await api[channel](input);
  if (!result.ok) throw new CallError(result.error);
  return result.value as Output<C>;
}

export function asErrorData(error: unknown): ErrorData {
  return error instanceof CallError ? error.data : { code: 'INTERNAL' };
}
