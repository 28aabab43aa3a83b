import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestTab } from '../../src-renderer/components/RequestTab';
import { useLockStore } from '../../src-renderer/store';

/** The mock's demo bar: a new token is put on the clipboard by main, which takes a moment. */
let finishDemo: () => void;
let asked: number;

describe('RequestTab: the demo request', () => {
  beforeEach(() => {
    asked = 0;
    useLockStore.setState({ lang: 'id', info: { mockAms: true } as never, tokenInput: '', busy: false, notice: undefined });
    window.lock = new Proxy({} as typeof window.lock, {
      get: (_target, channel: string) => async () => {
        if (channel !== 'demo.newRequest') return { ok: true, value: {} };
        asked += 1;
        return new Promise((resolve) => (finishDemo = () => resolve({ ok: true, value: { token: 'T' } })));
      },
    });
  });
  afterEach(cleanup);

  it('Paste waits until the new token is on the clipboard, so the previous one is never read', async () => {
    // A demo request made before: its "copied" notice is on screen.
    useLockStore.setState({ notice: 'demo' });
    render(<RequestTab />);
    expect(screen.queryByText(/Token demo disalin ke clipboard/)).not.toBeNull();
    const paste = screen.getByRole('button', { name: '(1) Paste >>' }) as HTMLButtonElement;
    const demo = screen.getByTestId('demo') as HTMLButtonElement;
    expect(paste.disabled).toBe(false);
    fireEvent.click(demo);
    await waitFor(() => expect(paste.disabled).toBe(true));
    // Until the new token is copied, nothing says "copied".
    expect(screen.queryByText(/Token demo disalin ke clipboard/)).toBeNull();
    // Still focusable for the keyboard; a second press meanwhile asks for nothing more.
    expect(demo.disabled).toBe(false);
    fireEvent.click(demo);
    expect(asked).toBe(1);
    finishDemo();
    await screen.findByText(/Token demo disalin ke clipboard/);
    expect(paste.disabled).toBe(false);
  });
});
