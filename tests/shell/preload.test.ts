import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channels } from '../../src/contract/api';
import { eventNames, ipcChannel } from '../../src/contract/channels';
import { recorded } from '../support/fake-electron';

describe('preload', () => {
  it('exposes exactly the contract as window.lock, passing only the input', async () => {
    await import('../../src-main/electron/preload');
    const api = recorded.exposed.get('lock') as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...channels, 'on'].sort());

    await api['request.lookup']!({ token: 'ABC' }, 'ignored extra');
    expect(recorded.invoked.at(-1)).toEqual([ipcChannel('request.lookup'), { token: 'ABC' }]);

    const seen: unknown[] = [];
    const off = api['on']!(eventNames[0], (payload: unknown) => seen.push(payload)) as () => void;
    const [listener] = recorded.rendererListeners.get(ipcChannel(eventNames[0]))!;
    listener!({ sender: 'raw event object' }, { step: 'keygen' });
    expect(seen).toEqual([{ step: 'keygen' }]);
    off();
    expect(recorded.rendererListeners.get(ipcChannel(eventNames[0]))).toEqual([]);
    expect(() => api['on']!('ipc:anything', () => {})).toThrow(/unknown event/);
  });

  it('is built as one CommonJS file whose only require is electron', () => {
    const file = 'dist/preload/preload.cjs';
    expect(existsSync(file), 'run `npm run build` first').toBe(true);
    const code = readFileSync(file, 'utf8');
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s|^\s*export\s/m);
  });
});
