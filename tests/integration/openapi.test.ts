import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsErrorCodes, amsPaths } from '../../src/ams-api/schemas';
import { startMockAms, type MockAms } from '../../src-main/mock-ams/server';
import { tempDir } from '../support/tools';

const spec = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
};

describe('docs/openapi.json', () => {
  let mock: MockAms;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    mock = await startMockAms({ dataDir: temp.dir });
  });
  afterAll(async () => {
    await mock.close();
    await cleanup();
  });

  it('documents every endpoint the mock serves, and nothing else', () => {
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(mock.endpoints().sort());
    for (const path of Object.values(amsPaths)) expect(spec.paths, path).toHaveProperty([path]);
    expect(spec.components.schemas.Error.properties.error.properties.code.enum.sort()).toEqual([...amsErrorCodes].sort());
  });

  it('every documented API operation exists on the running mock (no 404 NOT_FOUND)', async () => {
    for (const [path, operations] of Object.entries(spec.paths).filter(([p]) => !p.includes('{'))) {
      for (const method of Object.keys(operations)) {
        const response = await fetch(`${mock.url}${path}`, { method: method.toUpperCase(), body: method === 'get' ? undefined : '{}' });
        const body = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { error?: { code: string } }) : {};
        expect(body.error?.code, `${method} ${path}`).not.toBe('NOT_FOUND');
      }
    }
  });
});
