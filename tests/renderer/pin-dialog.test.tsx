import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../src/contract/api';
import { Dialogs } from '../../src-renderer/components/Dialogs';
import { useLockStore } from '../../src-renderer/store';
import { tokenInfo } from '../support/token-info';

/**
 * The PIN dialog for token states SoftHSM2 never reaches (the driver's side of
 * these states is tested against a stand-in pkcs11js module). window.lock here
 * records calls at the contract boundary.
 */
const calls: { channel: string; input: unknown }[] = [];

function openPin(flags: Partial<TokenInfo>) {
  act(() =>
    useLockStore.setState({
      tokenInput: 'TOKEN1234567890ABCDEF',
      dialog: { kind: 'pin', library: '/lib/token.so', token: tokenInfo(flags), purpose: { kind: 'request', keyBits: 2048 } },
    }),
  );
  render(<Dialogs />);
}

const submitted = () => calls.find((c) => c.channel === 'request.submit')?.input as Record<string, unknown> | undefined;
const next = () => screen.getByRole('button', { name: 'Lanjut' });

beforeEach(() => {
  calls.length = 0;
  const api = new Proxy(
    {},
    {
      get: (_target, channel: string) =>
        channel === 'on'
          ? () => () => {}
          : async (input: unknown) => {
              calls.push({ channel, input });
              return { ok: false, error: { code: 'PKCS11_PIN_INCORRECT' } };
            },
    },
  );
  Object.defineProperty(window, 'lock', { value: api, configurable: true });
});
afterEach(() => cleanup());

describe('PIN dialog', () => {
  it('a locked PIN stops: the message, no field, no attempt', () => {
    openPin({ pinLocked: true });
    expect(screen.getByText(/PIN token terkunci/)).toBeTruthy();
    expect(screen.queryByTestId('pin-input')).toBeNull();
    expect(calls).toEqual([]);
  });

  it('the last attempt needs the user’s consent before anything is sent', async () => {
    openPin({ pinFinalTry: true, pinCountLow: true });
    expect(screen.getByTestId('pin-final-try').textContent).toMatch(/percobaan PIN terakhir/);
    expect(screen.queryByTestId('pin-count-low')).toBeNull();
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '1234' } });
    expect((next() as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox'));
    expect((next() as HTMLButtonElement).disabled).toBe(false);
    await act(async () => fireEvent.click(next()));
    expect(submitted()).toMatchObject({ keyStore: 'pkcs11', tokenSerial: 'A1B2C3', pin: '1234', confirmFinalTry: true });
  });

  it('warns after an earlier wrong PIN', () => {
    openPin({ pinCountLow: true });
    expect(screen.getByTestId('pin-count-low').textContent).toMatch(/sebelumnya pernah dimasukkan PIN yang salah/);
  });

  it('a PIN-pad token gets a notice instead of a field and sends no PIN', async () => {
    openPin({ protectedAuthPath: true });
    expect(screen.getByTestId('pin-pad').textContent).toMatch(/PIN pad/);
    expect(screen.queryByTestId('pin-input')).toBeNull();
    await act(async () => fireEvent.click(next()));
    expect(submitted()).not.toHaveProperty('pin');
  });

  it('a PIN that must change asks for the new one twice', async () => {
    openPin({ pinToBeChanged: true });
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '1234' } });
    fireEvent.change(screen.getByTestId('new-pin'), { target: { value: '567890' } });
    fireEvent.change(screen.getByTestId('new-pin-confirm'), { target: { value: '567899' } });
    expect(screen.getByText('PIN baru dan ulangannya tidak sama.')).toBeTruthy();
    expect((next() as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('new-pin-confirm'), { target: { value: '567890' } });
    await act(async () => fireEvent.click(next()));
    expect(submitted()).toMatchObject({ pin: '1234', newPin: '567890' });
  });

  it('a wrong PIN comes back to the PIN dialog with the message, flags read again', async () => {
    openPin({});
    fireEvent.change(screen.getByTestId('pin-input'), { target: { value: '0000' } });
    await act(async () => fireEvent.click(next()));
    expect(calls.map((c) => c.channel)).toEqual(['request.submit', 'pkcs11.tokens']);
    expect(screen.getByTestId('inline-error').textContent).toMatch(/PIN token salah/);
    expect(screen.getByTestId('pin')).toBeTruthy();
  });
});
