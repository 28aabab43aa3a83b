import { afterAll, beforeAll } from 'vitest';
import { startMockAms, type MockAms, type MockAmsOptions } from '../../src-main/mock-ams/server';
import { tempDir } from './tools';

/** A mock AMS in a temp folder for one test file; read `.mock` inside tests. */
export function useMockAms(options: Omit<MockAmsOptions, 'dataDir'> = {}): { mock: MockAms } {
  const fixture = {} as { mock: MockAms };
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    fixture.mock = await startMockAms({ dataDir: temp.dir, ...options });
  });
  afterAll(async () => {
    await fixture.mock.close();
    await cleanup();
  });
  return fixture;
}
