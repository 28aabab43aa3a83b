import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  files: unknown;
  npmRebuild: boolean;
  asar: boolean;
  electronFuses: Record<string, boolean>;
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false))).rejects.toThrow(/notAnOption/);

    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(JSON.stringify(config.files)).toContain('!dist/test-host/**');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
    // Loading electron-builder's schema takes over 10 s on a loaded 2-core machine.
  }, 60_000);
});
