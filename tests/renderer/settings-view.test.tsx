import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '../../src/contract/api';
import { SettingsView } from '../../src-renderer/components/SettingsView';
import { useLockStore } from '../../src-renderer/store';

/** The settings view at the contract boundary: what it shows, what it saves, the menu's event. */
const calls: { channel: string; input: unknown }[] = [];
let listeners = new Map<string, (payload: unknown) => void>();
let view: Output<'settings.get'>;

beforeEach(() => {
  calls.length = 0;
  listeners = new Map();
  view = { amsUrl: null, amsUrlFromEnv: null, language: 'en', outputDir: '/home/u/LOCK', proxyMode: 'system', proxyUrl: null, trustSystemCa: true };
  const api = new Proxy(
    {},
    {
      get: (_target, channel: string) =>
        channel === 'on'
          ? (event: string, listener: (payload: unknown) => void) => {
              listeners.set(event, listener);
              return () => listeners.delete(event);
            }
          : async (input: Record<string, unknown>) => {
              calls.push({ channel, input });
              if (channel === 'settings.set') {
                if (input['proxyMode'] === 'manual' && !input['proxyUrl']) return { ok: false, error: { code: 'INPUT_INVALID', detail: 'proxyUrl' } };
                view = { ...view, ...input } as typeof view;
                return { ok: true, value: { ...view, restartNeeded: true } };
              }
              if (channel === 'output.choose') return { ok: true, value: '/home/u/Chosen' };
              return { ok: true, value: view };
            },
    },
  );
  Object.defineProperty(window, 'lock', { value: api, configurable: true });
  act(() => useLockStore.setState({ lang: 'id' }));
});
afterEach(() => cleanup());

const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 0)));

describe('settings view', () => {
  it('the saved language applies at start; the menu event opens the view', async () => {
    render(<SettingsView />);
    await settle();
    expect(useLockStore.getState().lang).toBe('en');
    expect(screen.queryByTestId('settings')).toBeNull();
    act(() => listeners.get('settings.onDidRequestOpen')!({}));
    await settle();
    expect(screen.getByTestId('settings')).toBeTruthy();
    expect(screen.getByRole('radio', { name: /System proxy/ })).toHaveProperty('checked', true);
    expect(screen.getByRole('checkbox', { name: /Trust the operating system/ })).toHaveProperty('checked', true);
    expect(screen.getByRole('combobox', { name: 'Language' })).toHaveProperty('value', 'en');
    // Escape closes it, as every dialog that can be dismissed.
    fireEvent.keyDown(screen.getByTestId('settings'), { key: 'Escape' });
    await settle();
    expect(screen.queryByTestId('settings')).toBeNull();
  });

  it('saves an AMS address and a manual proxy, and says they apply after a restart', async () => {
    render(<SettingsView />);
    await settle();
    fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    fireEvent.click(screen.getByRole('radio', { name: /AMS at this address/ }));
    fireEvent.change(screen.getByRole('textbox', { name: /AMS at this address/ }), { target: { value: 'https://ams.example.go.id' } });
    fireEvent.click(screen.getByRole('radio', { name: /Manual proxy/ }));
    fireEvent.change(screen.getByRole('textbox', { name: /Manual proxy/ }), { target: { value: 'http://proxy.kantor:8080' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Trust the operating system/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await settle();
    expect(calls.find((c) => c.channel === 'settings.set')?.input).toEqual({
      amsUrl: 'https://ams.example.go.id',
      language: 'en',
      outputDir: '/home/u/LOCK',
      proxyMode: 'manual',
      proxyUrl: 'http://proxy.kantor:8080',
      trustSystemCa: false,
    });
    expect(screen.getByTestId('settings-message').textContent).toMatch(/after LOCK Desktop restarts/);
  });

  it('a refused save shows the error and keeps the view open', async () => {
    render(<SettingsView />);
    await settle();
    fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    fireEvent.click(screen.getByRole('radio', { name: /Manual proxy/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await settle();
    expect(screen.getByTestId('settings')).toBeTruthy();
    expect(screen.getByTestId('settings-message').textContent).not.toBe('');
  });

  it('the output folder comes from the system folder dialog, never typed (a typed folder would be refused)', async () => {
    render(<SettingsView />);
    await settle();
    fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    const field = screen.getByRole('textbox', { name: /folder/i });
    expect(field).toHaveProperty('readOnly', true);
    fireEvent.click(screen.getByRole('button', { name: 'Choose…' }));
    await settle();
    expect(calls.map((c) => c.channel)).toContain('output.choose');
    expect(field).toHaveProperty('value', '/home/u/Chosen');
  });
});
