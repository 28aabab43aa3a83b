// Run in a child process (bundled by the test): opens the real TokenVault, stores
// and reads back a token, and prints what happened as JSON.
import { KEYCHAIN_SERVICE, TokenVault } from '../../src-main/services/token-vault';

async function main(): Promise<void> {
  const vault = await TokenVault.open();
  const id = `probe-${process.pid}`;
  await vault.set(id, 'TOKEN-123');
  const fresh = await TokenVault.open();
  const fromFreshVault = await fresh.get(id);
  const keytar = (await import('keytar').catch(() => undefined))?.default;
  if (vault.storage === 'keychain') await keytar?.deletePassword(KEYCHAIN_SERVICE, id);
  console.log(JSON.stringify({ storage: vault.storage, sameVault: await vault.get(id), fromFreshVault: fromFreshVault ?? null }));
}

void main();
