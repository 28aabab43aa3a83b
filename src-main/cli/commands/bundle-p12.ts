import path from 'node:path';
import { BundleService } from '../../services/bundle-service';
import type { RequestLedger } from '../../services/request-ledger';
import { readSecretFile } from '../../services/secret-file';
import { required, type CommandContext } from '../args';
import { warnIfJavaCannotOpen } from '../passphrase-warning';

/** `bundle-p12`: a certificate and its private key file into a .p12 (with the chain when --server is given). */
export async function run({ values, io, dataDir }: CommandContext): Promise<number> {
  const password = await readSecretFile(required(values['password-file'], '--password-file'), 'password');
  warnIfJavaCannotOpen(password, io);
  const keyPasswordFile = values['key-password-file'];
  const outPath = required(values.out, '--out');
  // The ledger (SQLite and its schemas) is loaded only when the certificate file lacks its chain.
  let opened: Promise<RequestLedger> | undefined;
  const ledger = () => (opened ??= import('../../services/request-ledger').then(({ RequestLedger }) => RequestLedger.inDataDir(dataDir)));
  const bundles = new BundleService({
    ledger: { list: async () => (await ledger()).list(), get: async (id) => (await ledger()).get(id) },
    outputDir: async () => path.dirname(path.resolve(outPath)),
    // The AMS client's deadline and size limit; the server's base path is kept. Loaded only with --server.
    amsChain: async () => {
      if (!values.server) return [];
      const { AmsClient } = await import('../../services/ams-client');
      return [await new AmsClient(values.server, { budgetMs: 5_000, timeoutMs: 5_000, retries: 0 }).caChain()];
    },
  });
  const result = await bundles.create({
    certificatePath: required(values.cert, '--cert'),
    key: { kind: 'file', path: required(values.key, '--key') },
    ...(keyPasswordFile ? { keyPassword: await readSecretFile(keyPasswordFile, 'password') } : {}),
    password,
    passwordConfirm: password,
    profile: values.modern ? 'modern' : 'compatible',
    outPath,
  });
  io.out(result.p12Path);
  return 0;
}
