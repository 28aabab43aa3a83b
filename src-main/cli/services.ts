import type { TokenInfo } from '../../src/contract/api';
import { AppError, type Lang } from '../../src/contract/errors';
import { translate, type MessageKey } from '../../src/i18n/catalogue';
import type { AmsClient } from '../services/ams-client';
import { resolveAmsNetwork, type AmsNetwork } from '../services/network';
import { TokenService } from '../services/pkcs11/token-service';
import { RequestLedger } from '../services/request-ledger';
import { RequestService } from '../services/request-service';
import { readSecretFile } from '../services/secret-file';
import { TokenVault } from '../services/token-vault';
import { normalizeServerUrl } from '../../src/domain/server-url';
import { required, UsageError, type CommandContext, type Values } from './args';
import { watchNotices } from './notices';
import { printable } from './printable';

/** Shared by the commands that need services; the dispatcher never imports this. */

let tokens: TokenService | undefined;
/** One worker for the CLI's token calls, started on first use; it does not keep the process alive. */
export function tokenService(): TokenService {
  tokens ??= new TokenService();
  return tokens;
}

export function translator(values: Values): (key: MessageKey, vars?: Record<string, string>) => string {
  const lang: Lang = values.lang === 'en' ? 'en' : 'id';
  return (key, vars) => translate(lang, key, vars);
}

/** The CSR token from --token-file (a file, or `-` for standard input): never from argv. */
export async function readToken(values: Values): Promise<string> {
  return readSecretFile(required(values['token-file'], '--token-file'), 'token');
}

/**
 * The AMS client for a server: through --proxy, else HTTPS_PROXY / HTTP_PROXY
 * unless NO_PROXY names the host; HTTPS trusts the OS certificate store too.
 */
export function amsNetwork(values: Values, server: string): Promise<AmsNetwork> {
  return resolveAmsNetwork(server, values.proxy ? { proxyMode: 'manual', proxyUrl: values.proxy } : { proxyMode: 'system' });
}

/** Loaded on first use: commands that never call AMS (tokens, bundle-p12) never load axios. */
export async function amsClient(values: Values, server: string): Promise<AmsClient> {
  const { AmsClient } = await import('../services/ams-client');
  return new AmsClient(server, { network: await amsNetwork(values, server) });
}

/** --server in its one spelling (scheme, host case, localhost, default port, trailing slash). */
export function serverUrl(values: Values): string {
  return normalizeServerUrl(required(values.server, '--server'));
}

/** The data folder's ledger; it opens on first use, and what it sets aside is reported after the command. */
export function openLedger(dataDir: string): RequestLedger {
  const ledger = RequestLedger.inDataDir(dataDir);
  watchNotices(ledger);
  return ledger;
}

export async function requestService({ values, dataDir }: CommandContext): Promise<RequestService> {
  return new RequestService({
    ams: await amsClient(values, serverUrl(values)),
    ledger: openLedger(dataDir),
    // Probed when a command first stores or reads a token: show and status never need it.
    vault: TokenVault.deferred(),
    tokens: tokenService(),
    dataDir,
  });
}

/** The token with this label, or the only token present. */
export async function pickToken(library: string, label: string | undefined): Promise<TokenInfo> {
  const present = await tokenService().listTokens(library);
  const matching = label === undefined ? present : present.filter((t) => t.label === label);
  if (present.length === 0) throw new AppError('PKCS11_NO_TOKEN', label ? { detail: label } : {});
  // A label that matches none of the tokens present is a typo more often than a token pulled out.
  const labels = present.map((t) => printable(t.label)).join(', ');
  if (matching.length === 0) throw new UsageError(`no token labelled "${printable(label ?? '')}": choose one with --token-label (${labels})`);
  if (matching.length > 1) throw new UsageError(`several tokens present: choose one with --token-label (${labels})`);
  return matching[0]!;
}
