import { nativeRequire } from './native-require';

/**
 * Keeps each request's CSR token in the OS keychain (keytar), so the download
 * tab can ask AMS about it later without the ledger holding the token. keytar
 * rejects every call on Linux without a Secret Service: then tokens live only
 * in this session's memory and `storage` says so; nothing else breaks.
 */
export interface Keychain {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'LOCK Desktop CSR token';

export class TokenVault {
  private readonly session = new Map<string, string>();
  private usable: boolean;

  private constructor(
    private readonly keychain: Keychain | undefined,
    usable: boolean,
  ) {
    this.usable = usable;
  }

  /** Probes the keychain once; `load` returns keytar, or throws when it cannot load. */
  static async open(load: () => Promise<Keychain> = loadKeytar): Promise<TokenVault> {
    let keychain: Keychain | undefined;
    try {
      keychain = await load();
      await keychain.getPassword(KEYCHAIN_SERVICE, 'probe');
      return new TokenVault(keychain, true);
    } catch {
      return new TokenVault(keychain, false);
    }
  }

  get storage(): 'keychain' | 'session' {
    return this.usable ? 'keychain' : 'session';
  }

  async set(entryId: string, token: string): Promise<void> {
    this.session.set(entryId, token);
    if (!this.usable || !this.keychain) return;
    try {
      await this.keychain.setPassword(KEYCHAIN_SERVICE, entryId, token);
    } catch {
      this.usable = false;
    }
  }

  async get(entryId: string): Promise<string | undefined> {
    const remembered = this.session.get(entryId);
    if (remembered !== undefined || !this.usable || !this.keychain) return remembered;
    try {
      return (await this.keychain.getPassword(KEYCHAIN_SERVICE, entryId)) ?? undefined;
    } catch {
      this.usable = false;
      return undefined;
    }
  }
}

/** Loaded lazily: a missing libsecret must degrade to session storage, not crash start-up. */
async function loadKeytar(): Promise<Keychain> {
  return nativeRequire('keytar') as Keychain;
}
