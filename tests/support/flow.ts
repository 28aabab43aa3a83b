import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { AmsClient, type AmsClientOptions } from '../../src-main/services/ams-client';
import { InProcessTransport, TokenService } from '../../src-main/services/pkcs11/token-service';
import { RequestLedger } from '../../src-main/services/request-ledger';
import { RequestService } from '../../src-main/services/request-service';
import { TokenVault, type Keychain } from '../../src-main/services/token-vault';
import { tempDir } from './tools';

export const STRONG_PASSWORD = 'Kunci#Rahasia2026';

/** An in-memory keychain: the vault's own behaviour is tested against the real one elsewhere. */
export function memoryKeychain(): Keychain {
  const items = new Map<string, string>();
  return {
    setPassword: async (s, a, p) => void items.set(`${s}/${a}`, p),
    getPassword: async (s, a) => items.get(`${s}/${a}`) ?? null,
    deletePassword: async (s, a) => items.delete(`${s}/${a}`),
  };
}

export interface Flow {
  mock: MockAms;
  service: RequestService;
  ledger: RequestLedger;
  dataDir: string;
  clock: { offsetMs: number };
  cleanup(): Promise<void>;
}

/** A real mock AMS on loopback and a RequestService talking to it over HTTP. */
export async function startFlow(options: { autoApprove?: boolean; client?: AmsClientOptions; tokens?: TokenService } = {}): Promise<Flow> {
  const { dir, cleanup } = await tempDir();
  const clock = { offsetMs: 0 };
  const mock = await startMockAms({
    dataDir: `${dir}/mock`,
    autoApprove: options.autoApprove ?? true,
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  const dataDir = `${dir}/app`;
  const ledger = RequestLedger.inDataDir(dataDir);
  const vault = await TokenVault.open(async () => memoryKeychain());
  const tokens = options.tokens ?? new TokenService(new InProcessTransport());
  const service = new RequestService({ ams: new AmsClient(mock.url, { retryDelayMs: 20, ...options.client }), ledger, vault, tokens, dataDir });
  return {
    mock,
    service,
    ledger,
    dataDir,
    clock,
    cleanup: async () => {
      await tokens.close();
      ledger.close();
      await mock.close();
      await cleanup();
    },
  };
}
