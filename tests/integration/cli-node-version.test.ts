import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../support/tools';

const BIN = path.resolve('bin/lock-desktop.cjs');
const SYSTEM_NODE = '/usr/bin/node';

/** The CLI as a Node of `version` would run it: a preload reports that version before the bin reads it. */
describe('the CLI on a Node without node:sqlite says so in one line', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let preload: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('lock-node-version-'));
    preload = path.join(dir, 'version.cjs');
    writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: process.env.FAKE_NODE_VERSION });\n");
  });
  afterAll(() => cleanup());
  const cliAs = (version: string) => run(process.execPath, ['--require', preload, BIN, '--help'], { env: { ...process.env, FAKE_NODE_VERSION: version } });

  it.each(['12.22.12', '20.20.2', '22.12.9', '23.0.0', '23.3.0', 'not-a-version'])('Node %s: refused with UNSUPPORTED_NODE, exit 1, nothing else run', async (version) => {
    const result = await cliAs(version);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `UNSUPPORTED_NODE: lock-desktop memerlukan Node.js 22.13 atau lebih baru (pada seri 23: 23.4 atau lebih baru); ini Node.js ${version}. / lock-desktop needs Node.js 22.13 or newer (on the 23 line: 23.4 or newer); this is Node.js ${version}.\n`,
    );
  });

  it.each(['22.13.0', '22.13.0-nightly20250101', '23.4.0', '24.0.0', '25.1.0'])('Node %s: runs', async (version) => {
    const result = await cliAs(version);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: lock-desktop/);
  });

  const system = spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const systemVersion = system.status === 0 ? system.stdout.trim() : '';
  const old = /^(\d+)\.(\d+)/.exec(systemVersion);
  const isOld = old !== null && (Number(old[1]) < 22 || (Number(old[1]) === 22 && Number(old[2]) < 13) || (Number(old[1]) === 23 && Number(old[2]) < 4));
  if (!isOld) console.warn(`*** cli-node-version: SKIPPED the real old-Node run: ${SYSTEM_NODE} is ${systemVersion || 'missing'}, a version with node:sqlite (the preload tests above still run) ***`);
  it.skipIf(!isOld)(`the machine's own ${SYSTEM_NODE} (${systemVersion}): the same line, not INTERNAL`, async () => {
    const result = await run(SYSTEM_NODE, [BIN, '--data-dir', dir, 'status', '--server', 'http://127.0.0.1:9', '--token-file', preload]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^UNSUPPORTED_NODE: .*this is Node\\.js ${systemVersion.replace(/\./g, '\\.')}\\.\n$`));
  });
});
