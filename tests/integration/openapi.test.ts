import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { amsErrorCodes, amsPaths } from '../../src/ams-api/schemas';
import { useMockAms } from '../support/mock';

const spec = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
};

describe('docs/openapi.json', () => {
  const fixture = useMockAms();

  it('documents every endpoint the mock serves, and nothing else', () => {
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(fixture.mock.endpoints().sort());
    for (const path of Object.values(amsPaths)) expect(spec.paths, path).toHaveProperty([path]);
    expect(spec.components.schemas.Error.properties.error.properties.code.enum.sort()).toEqual([...amsErrorCodes].sort());
  });

  it('every documented API operation exists on the running mock (no 404 NOT_FOUND)', async () => {
    for (const [path, operations] of Object.entries(spec.paths).filter(([p]) => !p.includes('{'))) {
      for (const method of Object.keys(operations)) {
        const response = await fetch(`${fixture.mock.url}${path}`, { method: method.toUpperCase(), body: method === 'get' ? undefined : '{}' });
        const body = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { error?: { code: string } }) : {};
        expect(body.error?.code, `${method} ${path}`).not.toBe('NOT_FOUND');
      }
    }
  });
});
