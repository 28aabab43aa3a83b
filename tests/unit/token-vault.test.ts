import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, TokenVault, type Keychain } from '../../src-main/services/token-vault';

/**
 * The vault's own logic with a keychain stand-in; the real Secret Service is
 * exercised in tests/integration/token-vault.test.ts.
 */
function keychain(faults: { probe?: boolean; set?: boolean; get?: boolean } = {}) {
  const items = new Map<string, string>();
  const calls: string[] = [];
  const chain: Keychain = {
    setPassword: async (service, account, password) => {
      calls.push(`set ${service}/${account}`);
      if (faults.set) throw new Error('locked');
      items.set(`${service}/${account}`, password);
    },
    getPassword: async (service, account) => {
      calls.push(`get ${service}/${account}`);
      if (account === 'probe' ? faults.probe : faults.get) throw new Error('no Secret Service');
      return items.get(`${service}/${account}`) ?? null;
    },
    deletePassword: async (service, account) => items.delete(`${service}/${account}`),
  };
  return { chain, items, calls };
}

describe('TokenVault', () => {
  it('with a working keychain: stores under the LOCK service name, and a fresh vault reads it back', async () => {
    const { chain, items } = keychain();
    const vault = await TokenVault.open(async () => chain);
    expect(vault.storage).toBe('keychain');
    await vault.set('entry-1', 'TOKEN-A');
    expect(items.get(`${KEYCHAIN_SERVICE}/entry-1`)).toBe('TOKEN-A');
    const fresh = await TokenVault.open(async () => chain);
    expect(await fresh.get('entry-1')).toBe('TOKEN-A');
    expect(await fresh.get('entry-2')).toBeUndefined();
  });

  it('deferred: nothing is loaded or asked until the first store or read, then the same probe once', async () => {
    const { chain, calls, items } = keychain();
    let loads = 0;
    const vault = TokenVault.deferred(async () => {
      loads++;
      return chain;
    });
    expect(loads).toBe(0);
    expect(calls).toEqual([]);
    await Promise.all([vault.set('entry-1', 'TOKEN-A'), vault.get('entry-2')]);
    expect(loads).toBe(1);
    expect(calls.filter((c) => c.endsWith('/probe'))).toHaveLength(1);
    expect(items.get(`${KEYCHAIN_SERVICE}/entry-1`)).toBe('TOKEN-A');
    expect(vault.storage).toBe('keychain');
    expect(await TokenVault.deferred(async () => chain).get('entry-1')).toBe('TOKEN-A');
  });

  it('a keychain that cannot load: session storage, the token still readable in this session only', async () => {
    const vault = await TokenVault.open(async () => {
      throw new Error('libsecret missing');
    });
    expect(vault.storage).toBe('session');
    await vault.set('entry-1', 'TOKEN-A');
    expect(await vault.get('entry-1')).toBe('TOKEN-A');
  });

  it('a keychain whose probe fails is never written to', async () => {
    const { chain, calls, items } = keychain({ probe: true });
    const vault = await TokenVault.open(async () => chain);
    expect(vault.storage).toBe('session');
    await vault.set('entry-1', 'TOKEN-A');
    expect(await vault.get('entry-1')).toBe('TOKEN-A');
    expect(await vault.get('entry-2')).toBeUndefined();
    expect(calls).toEqual([`get ${KEYCHAIN_SERVICE}/probe`]);
    expect(items.size).toBe(0);
  });

  it('a keychain that fails on write: falls back to the session and says so', async () => {
    const { chain } = keychain({ set: true });
    const vault = await TokenVault.open(async () => chain);
    await vault.set('entry-1', 'TOKEN-A');
    expect(vault.storage).toBe('session');
    expect(await vault.get('entry-1')).toBe('TOKEN-A');
  });

  it('a keychain that fails on read: nothing found, session storage from then on', async () => {
    const { chain, calls } = keychain({ get: true });
    const vault = await TokenVault.open(async () => chain);
    expect(await vault.get('entry-9')).toBeUndefined();
    expect(vault.storage).toBe('session');
    calls.length = 0;
    await vault.set('entry-1', 'TOKEN-A');
    expect(calls).toEqual([]);
  });
});
