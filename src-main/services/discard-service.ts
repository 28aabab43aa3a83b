import type { LedgerEntry } from '../../src/contract/api';
import { AppError } from '../../src/contract/errors';
import { normalizeToken } from '../../src/domain/token';
import type { AmsClient } from './ams-client';
import { sidecarPath } from '../storage/entry-sidecar';
import { pausePoint } from '../storage/write-faults';
import { setKeyAside } from './key-files';
import { publicView, type RequestLedger, type StoredEntry } from './request-ledger';
import type { TokenVault } from './token-vault';

export interface DiscardDeps {
  ledger: RequestLedger;
  vault: TokenVault;
  amsFor(server: string): AmsClient;
  dataDir: string;
}

export type DiscardInput = { token: string; server: string } | { entryId: string };

export interface DiscardResult {
  entry: LedgerEntry;
  /** Where the key file was set aside (file keys); token keys stay on the token. */
  keptKeyAt?: string;
}

/**
 * The way out of an unsent request: an entry whose CSR never reached AMS (its
 * key file lost or its password forgotten) is taken off the list so the same
 * token can start over. AMS is asked first and must still be waiting for a
 * CSR; an entry whose CSR AMS holds is never discarded (DISCARD_NOT_ALLOWED),
 * and neither is one AMS cannot be asked about. The key is set aside, not
 * deleted, and the entry kept in the ledger's discarded table.
 */
export class DiscardService {
  constructor(private readonly deps: DiscardDeps) {}

  /** By pasted token (tab 1, the CLI) or by entry, when this computer keeps its token (Download tab). */
  async discard(input: DiscardInput): Promise<DiscardResult> {
    const { entry, token } = await this.discardable(input);
    // AMS is asked while the entry is held: a CSR sent from another window or command after
    // AMS said "awaiting" would otherwise lose its key here (REQUEST_BUSY for whichever comes second).
    const discarded = await this.deps.ledger.whileHeld(entry.id, async () => {
      await pausePoint('discard:held');
      const status = await this.deps.amsFor(entry.server).status(token);
      if (status.status !== 'awaiting_csr') throw new AppError('DISCARD_NOT_ALLOWED', { detail: `AMS: ${status.status}` });
      return this.deps.ledger.discard(entry.id, 'unsent: key lost or password forgotten', (current) => current.state === 'csr_ready');
    });
    const keptKeyAt = discarded.keyPath ? await setKeyAside(this.deps.dataDir, discarded.keyPath).catch(() => discarded.keyPath) : undefined;
    // Its sidecar goes too, or a rebuilt ledger would bring the entry back.
    await setKeyAside(this.deps.dataDir, sidecarPath(this.deps.dataDir, discarded.id)).catch(() => undefined);
    return { entry: publicView(discarded), ...(keptKeyAt ? { keptKeyAt } : {}) };
  }

  /**
   * What this computer alone can tell before anything is asked or changed (the CLI checks it
   * before its question): the request exists here, its token is known, its CSR was never sent.
   */
  async discardable(input: DiscardInput): Promise<{ entry: StoredEntry; token: string }> {
    let entry: StoredEntry | undefined;
    let token: string | undefined;
    if ('entryId' in input) {
      entry = await this.deps.ledger.get(input.entryId);
      token = entry && (await this.deps.vault.get(entry.id));
      if (entry && !token) throw new AppError('TOKEN_NEEDED');
    } else {
      token = normalizeToken(input.token);
      entry = await this.deps.ledger.findByToken(input.server, token);
    }
    if (!entry || !token) throw new AppError('REQUEST_NOT_FOUND');
    if (entry.state !== 'csr_ready') throw new AppError('DISCARD_NOT_ALLOWED', { detail: entry.state });
    return { entry, token };
  }
}
