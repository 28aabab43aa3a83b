// Run in a child process (bundled by the test): one TokenVault operation per
// process, so a value read back really comes from the OS keychain.
//   probe set <id> <token> | probe get <id> | probe delete <id>
// Prints one JSON line: the vault's storage and what it read.
import { nativeRequire } from '../../src-main/services/native-require';
import { KEYCHAIN_SERVICE, TokenVault, type Keychain } from '../../src-main/services/token-vault';

async function main(): Promise<void> {
  const [action, id, token] = process.argv.slice(2);
  const vault = await TokenVault.open();
  if (action === 'set') await vault.set(id!, token!);
  if (action === 'delete') {
    await (nativeRequire('keytar') as Keychain).deletePassword(KEYCHAIN_SERVICE, id!);
  }
  const read = action === 'delete' ? null : ((await vault.get(id!)) ?? null);
  console.log(JSON.stringify({ storage: vault.storage, read }));
}

void main();
