import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MOCK_PORT, PORT_FILE, savedMockPort, startOnStablePort } from '../../src-main/mock-ams/embedded-port';
import { tempDir } from '../support/tools';

/**
 * The embedded mock's stable address. No test binds the fixed port (other runs
 * share this machine): `start` here records the port it is asked for and
 * answers like a listening server would, EADDRINUSE included.
 */
describe('the embedded mock keeps its port', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('lock-port-')));
  afterEach(async () => cleanup());

  const inUse = () => Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });

  it('starts at 47315 the first time and saves it; later starts use the saved port', async () => {
    const asked: number[] = [];
    expect(await startOnStablePort(dir, async (port) => (asked.push(port), `mock@${port}`))).toBe(`mock@${DEFAULT_MOCK_PORT}`);
    expect(JSON.parse(await readFile(path.join(dir, PORT_FILE), 'utf8'))).toEqual({ port: DEFAULT_MOCK_PORT });
    await writeFile(path.join(dir, PORT_FILE), JSON.stringify({ port: 47400 }));
    expect(await startOnStablePort(dir, async (port) => (asked.push(port), `mock@${port}`))).toBe('mock@47400');
    expect(asked).toEqual([DEFAULT_MOCK_PORT, 47400]);
  });

  it('a taken port: a clear message in both languages, a free port for this session, the saved port kept', async () => {
    await writeFile(path.join(dir, PORT_FILE), JSON.stringify({ port: 47400 }));
    const warnings: string[] = [];
    const started = await startOnStablePort(
      dir,
      async (port) => {
        if (port === 47400) throw inUse();
        return `mock@${port}`;
      },
      (message) => warnings.push(message),
    );
    expect(started).toBe('mock@0');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Port 47400 untuk AMS tiruan dipakai program lain.* \/ Port 47400 for the mock AMS is taken by another program/);
    expect(warnings[0]).toContain(path.join(dir, PORT_FILE));
    expect(await savedMockPort(dir)).toEqual({ port: 47400, saved: true });
  });

  it('a port.json a person broke means the default; other start failures are not hidden', async () => {
    await writeFile(path.join(dir, PORT_FILE), '{"port": "many"}');
    expect(await savedMockPort(dir)).toEqual({ port: DEFAULT_MOCK_PORT, saved: false });
    await expect(startOnStablePort(dir, async () => Promise.reject(new Error('state damaged')))).rejects.toThrow('state damaged');
  });
});
