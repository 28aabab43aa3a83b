import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleTab } from '../../src-renderer/components/BundleTab';
import { useLockStore } from '../../src-renderer/store';

/** Tab "Bundle p12": the keys this app keeps, as main answers `bundle.keys`. */
let answerKeys: (keys: unknown[]) => void;
let asked: number;

describe('BundleTab: the keys this app keeps', () => {
  beforeEach(() => {
    asked = 0;
    useLockStore.setState({ lang: 'id' });
    window.lock = new Proxy({} as typeof window.lock, {
      get: (_target, channel: string) => async () => {
        if (channel !== 'bundle.keys') return { ok: true, value: {} };
        asked += 1;
        return new Promise((resolve) => (answerKeys = (keys) => resolve({ ok: true, value: keys })));
      },
    });
  });
  afterEach(cleanup);

  it('while main has not answered, says it is looking, not that there are none; then shows what it found', async () => {
    render(<BundleTab />);
    // Asked when the tab opens, without the debounce that typing a certificate path gets.
    await waitFor(() => expect(asked).toBe(1), { timeout: 100 });
    expect(screen.getByText('Mencari kunci file yang disimpan aplikasi ini…')).toBeTruthy();
    expect(screen.queryByText('Belum ada kunci file di aplikasi ini.')).toBeNull();
    answerKeys([{ entryId: 'e1', name: 'MAMAN', product: 'Tanda Tangan Elektronik', createdAt: '2026-12-01T11:36:00.000Z' }]);
    const stored = (await screen.findByTestId('bundle-stored-key')) as HTMLSelectElement;
    expect(stored.value).toBe('e1');
    expect(screen.queryByText('Mencari kunci file yang disimpan aplikasi ini…')).toBeNull();
  });

  it('an answer with no keys says so, and the key-file choice is taken', async () => {
    render(<BundleTab />);
    await waitFor(() => expect(asked).toBe(1), { timeout: 100 });
    answerKeys([]);
    await waitFor(() => expect((screen.getByTestId('bundle-key-file-radio') as HTMLInputElement).checked).toBe(true));
    expect(screen.queryByText('Mencari kunci file yang disimpan aplikasi ini…')).toBeNull();
  });
});
