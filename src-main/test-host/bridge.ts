// Browser code: `window.lock` over loopback HTTP for the browser test host.
// Built from the same channel list as the Electron preload, so the two cannot drift.
import { channelNames, eventNames } from '../../src/contract/channels';

const KEY_PARAM = 'key';
const STORAGE_KEY = 'lock-test-host-key';

function hostKey(): string {
  const fromUrl = new URLSearchParams(location.search).get(KEY_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

const key = hostKey();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let source: EventSource | undefined;

function subscribe(event: string, listener: (payload: unknown) => void): () => void {
  if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
  if (!source) {
    source = new EventSource(`/__lock/events?${KEY_PARAM}=${encodeURIComponent(key)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      const { event: name, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
      listeners.get(name)?.forEach((l) => l(payload));
    };
  }
  const set = listeners.get(event) ?? new Set();
  set.add(listener);
  listeners.set(event, set);
  return () => set.delete(listener);
}

const api: Record<string, unknown> = { on: subscribe };
for (const name of channelNames) {
  api[name] = async (input: unknown) => {
    const response = await fetch(`/__lock/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lock-key': key },
      body: JSON.stringify(input ?? {}),
    });
    return response.json() as Promise<unknown>;
  };
}
Object.defineProperty(window, 'lock', { value: Object.freeze(api), writable: false });
