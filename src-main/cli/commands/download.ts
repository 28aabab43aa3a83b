import path from 'node:path';
import type { Input } from '../../../src/contract/api';
import { AmsClient } from '../../services/ams-client';
import { CertificateService } from '../../services/certificate-service';
import { readSecretFile } from '../../services/secret-file';
import { TokenVault } from '../../services/token-vault';
import { required, type CommandContext } from '../args';
import { warnIfJavaCannotOpen } from '../passphrase-warning';
import { amsNetwork, openLedger, readToken, serverUrl, tokenService, translator } from '../services';

/** `download`: the issued certificate as .pem + .p12 (file key) or onto the token (token key). */
export async function run({ values, io, dataDir }: CommandContext): Promise<number> {
  const t = translator(values);
  const server = serverUrl(values);
  const out = path.resolve(required(values.out, '--out'));
  const token = await readToken(values);
  const ledger = openLedger(dataDir);
  const network = await amsNetwork(values, server);
  const vault = await TokenVault.open();
  const certificates = new CertificateService({ ledger, vault, tokens: tokenService(), amsFor: (s) => new AmsClient(s, { network }), outputDir: async () => out });
  const entry = await certificates.findByToken(token, server);
  let input: Input<'download.run'>;
  if (entry.keyStore === 'file') {
    input = { entryId: entry.id, keyStore: 'file', password: await readSecretFile(required(values['password-file'], '--password-file'), 'password') };
    // The .p12 takes the key's password.
    warnIfJavaCannotOpen(input.password, io);
  } else {
    input = { entryId: entry.id, keyStore: 'pkcs11', pin: await readSecretFile(required(values['pin-file'], '--pin-file'), 'pin') };
  }
  const result = await certificates.download(input, undefined, values.module ? { library: values.module } : {});
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(t('cliDownloaded'));
    for (const file of [result.files.pem, result.files.p12]) if (file) io.out(`  ${file}`);
    if (result.onToken) io.out(t('cliOnToken'));
    if (result.realUse) {
      const { chain, revocation, via } = result.realUse;
      // Without the issuing CA's certificate no answer could be checked: said as such, not as "offline".
      const checked = chain === 'missing' && revocation === 'unavailable' ? 'cliRevocation_noChain' : (`cliRevocation_${revocation}` as const);
      io.out(t('cliRealUse', { chain: t(`cliChain_${chain}`), revocation: t(checked), via: via ?? '-' }));
    }
  }
  return 0;
}
