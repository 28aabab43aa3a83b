import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; main: string };
const build = readFileSync('scripts/build.mjs', 'utf8');

/** Every dist/ file a script runs must be one the build writes (start:web once ran a file nobody built). */
describe('package scripts run files the build writes', () => {
  const written = new Set([...build.matchAll(/outfile: '([^']+)'/g)].map((m) => m[1]));
  const runs = Object.entries(pkg.scripts).flatMap(([name, script]) => [...script.matchAll(/node (dist\/\S+)/g)].map((m) => [name, m[1]!] as const));

  it('finds the scripts that run built files', () => {
    expect(runs.map(([name]) => name)).toContain('start:web');
  });
  it.each(runs)('%s runs %s', (_name, file) => {
    expect(written).toContain(file);
  });
  it('main points at the built Electron entry', () => {
    expect(written).toContain(pkg.main);
  });
});
