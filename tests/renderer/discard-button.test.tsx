import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscardButton } from '../../src-renderer/components/DiscardButton';
import { useLockStore } from '../../src-renderer/store';

/** The small "discard the unsent request" button of tab 1 and the Download tab, at the contract boundary. */
const calls: { channel: string; input: unknown }[] = [];
let answer: unknown = { ok: true, value: {} };

describe('DiscardButton', () => {
  beforeEach(() => {
    calls.length = 0;
    answer = { ok: true, value: { entry: {} } };
    window.lock = new Proxy({} as typeof window.lock, {
      get: (_target, channel: string) => async (input: unknown) => {
        calls.push({ channel, input });
        return answer;
      },
    });
  });
  afterEach(cleanup);

  it('asks once more, then discards by entry and reports back', async () => {
    let done = 0;
    render(<DiscardButton input={{ entryId: '00000000-0000-4000-8000-000000000000' }} onDone={() => done++} />);
    fireEvent.click(screen.getByTestId('discard-unsent'));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByTestId('discard-confirm'));
    await waitFor(() => expect(done).toBe(1));
    expect(calls).toEqual([{ channel: 'request.discard', input: { entryId: '00000000-0000-4000-8000-000000000000' } }]);
  });

  it('a refusal (AMS holds the CSR) is shown as the coded error, and nothing is reported done', async () => {
    answer = { ok: false, error: { code: 'DISCARD_NOT_ALLOWED', detail: 'AMS: issued' } };
    let done = 0;
    render(<DiscardButton input={{ token: 'TOKEN1234567890ABCDEF' }} onDone={() => done++} />);
    fireEvent.click(screen.getByTestId('discard-unsent'));
    fireEvent.click(screen.getByTestId('discard-confirm'));
    await waitFor(() => expect(useLockStore.getState().dialog).toEqual({ kind: 'error', error: { code: 'DISCARD_NOT_ALLOWED', detail: 'AMS: issued' } }));
    expect(done).toBe(0);
  });
});
