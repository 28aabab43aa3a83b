import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/contract/api';
import { DownloadTab } from '../../src-renderer/components/DownloadTab';
import { useLockStore } from '../../src-renderer/store';

/** The Download tab's list is refreshed from several places at once (opening the tab, the 30 s watch, after a find). */
let pending: ((entries: LedgerEntry[]) => void)[];
const entry = (id: string) => ({ id }) as LedgerEntry;

describe('Download tab: overlapping refreshes', () => {
  beforeEach(() => {
    pending = [];
    useLockStore.setState({ lang: 'id', entries: [], refreshing: 0 });
    window.lock = new Proxy({} as typeof window.lock, {
      get: (_target, channel: string) => async () => {
        if (channel === 'output.info') return { ok: true, value: { dir: '/out', canChoose: false } };
        if (channel !== 'ledger.refresh') return { ok: true, value: null };
        return new Promise((resolve) => pending.push((value) => resolve({ ok: true, value })));
      },
    });
  });
  afterEach(cleanup);

  it('an older refresh that lands after a newer one does not put the older list back', async () => {
    const { refreshDownloads } = useLockStore.getState();
    const older = refreshDownloads();
    const newer = refreshDownloads();
    await waitFor(() => expect(pending).toHaveLength(2));
    // The newer answer (with the request just sent) comes first, then the slower older one.
    pending[1]!([entry('new'), entry('old')]);
    await newer;
    pending[0]!([entry('old')]);
    await older;
    expect(useLockStore.getState().entries.map((e) => e.id)).toEqual(['new', 'old']);
    // A later refresh is shown as usual.
    const later = refreshDownloads();
    await waitFor(() => expect(pending).toHaveLength(3));
    pending[2]!([entry('newest'), entry('new'), entry('old')]);
    await later;
    expect(useLockStore.getState().entries.map((e) => e.id)).toEqual(['newest', 'new', 'old']);
  });

  it('the tab is aria-busy while any refresh is under way, and not after', async () => {
    render(<DownloadTab />);
    const panel = screen.getByRole('tabpanel');
    expect(panel.getAttribute('aria-busy')).toBe('false');
    const { refreshDownloads } = useLockStore.getState();
    const first = refreshDownloads();
    const second = refreshDownloads();
    await waitFor(() => expect(panel.getAttribute('aria-busy')).toBe('true'));
    await waitFor(() => expect(pending).toHaveLength(2));
    pending[0]!([]);
    await first;
    expect(panel.getAttribute('aria-busy')).toBe('true');
    pending[1]!([]);
    await second;
    await waitFor(() => expect(panel.getAttribute('aria-busy')).toBe('false'));
  });
});
