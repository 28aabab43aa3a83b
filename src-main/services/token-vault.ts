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
  private keychain: Keychain | undefined;
  private usable = false;
  private probed: Promise<void> | undefined;

  private constructor(private readonly load: () => Promise<Keychain>) {}

  /** Probes the keychain once; `load` returns keytar, or throws when it cannot load. */
  static async open(load: () => Promise<Keychain> = loadKeytar): Promise<TokenVault> {
    const vault = new TokenVault(load);
    await vault.probe();
    return vault;
  }

  /**
   * The same, probed at its first use: a CLI command that never stores or
   * reads a token (show, status) never loads keytar nor asks the Secret Service.
   */
  static deferred(load: () => Promise<Keychain> = loadKeytar): TokenVault {
    return new TokenVault(load);
  }

  private probe(): Promise<void> {
    return (this.probed ??= (async () => {
      try {
        this.keychain = await this.load();
        await this.keychain.getPassword(KEYCHAIN_SERVICE, 'probe');
        this.usable = true;
      } catch {
        this.usable = false;
      }
    })());
  }

  get storage(): 'keychain' | 'session' {
    return this.usable ? 'keychain' : 'session';
  }

  async set(entryId: string, token: string): Promise<void> {
    this.session.set(entryId, token);
    await this.probe();
    if (!this.usable || !this.keychain) return;
    try {
      await this.keychain.setPassword(KEYCHAIN_SERVICE, entryId, token);
    } catch {
      this.usable = false;
    }
  }

  async get(entryId: string): Promise<string | undefined> {
    const remembered = this.session.get(entryId);
    if (remembered === undefined) await this.probe();
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
