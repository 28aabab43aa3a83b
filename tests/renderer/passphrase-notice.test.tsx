import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PassphraseNotice } from '../../src-renderer/components/PassphraseNotice';
import { useLockStore } from '../../src-renderer/store';

afterEach(() => cleanup());

describe('PassphraseNotice', () => {
  it('says nothing for a printable-ASCII passphrase', () => {
    render(<PassphraseNotice passphrase="Kunci#Rahasia 2026!" />);
    expect(screen.queryByTestId('p12-nonascii-notice')).toBeNull();
  });

  it('names the programs that will not open a .p12 with non-ASCII characters, in the chosen language', () => {
    useLockStore.setState({ lang: 'id' });
    const { rerender } = render(<PassphraseNotice passphrase="Sandi€Rahasia2026" />);
    expect(screen.getByTestId('p12-nonascii-notice').textContent).toMatch(/TIDAK dapat dibuka Java: keytool, jarsigner/);
    useLockStore.setState({ lang: 'en' });
    rerender(<PassphraseNotice passphrase="Пароль2026" />);
    expect(screen.getByRole('note').textContent).toMatch(/NOT in Java: keytool, jarsigner/);
  });
});
