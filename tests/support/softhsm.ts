import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createSoftHsmToken, SOFTHSM_LIBRARIES } from '../../native/softhsm/create-token.mjs';
import { startFlow, type Flow } from './flow';
import { tempDir } from './tools';

export const USER_PIN = '123456';

export interface SoftHsm {
  library: string;
  conf: string;
  dir: string;
  cleanup(): Promise<void>;
}

export function softHsmLibrary(): string | undefined {
  return (SOFTHSM_LIBRARIES[process.platform] ?? []).find((p) => existsSync(p));
}

/**
 * A throw-away SoftHSM2 token (label ST3) in a temp folder, made with the same
 * QA script the README documents, and SOFTHSM2_CONF pointing at it. CI installs
 * SoftHSM2, so a missing library fails loudly there instead of skipping.
 */
export async function createSoftHsm(label = 'ST3'): Promise<SoftHsm> {
  const library = softHsmLibrary();
  if (!library) throw new Error('SoftHSM2 is not installed (apt-get install softhsm2); the token tests need it');
  const { dir, cleanup } = await tempDir('lock-softhsm-');
  const conf = createSoftHsmToken({ dir, label, pin: USER_PIN });
  process.env['SOFTHSM2_CONF'] = conf;
  return { library, conf, dir, cleanup };
}

/** A SoftHSM2 token and a request flow against a real mock AMS, for one describe block. */
export function useSoftHsmFlow(): { hsm: SoftHsm; flow: Flow } {
  const fixture = {} as { hsm: SoftHsm; flow: Flow };
  beforeAll(async () => {
    fixture.hsm = await createSoftHsm();
    fixture.flow = await startFlow();
  });
  afterAll(async () => {
    await fixture.flow.cleanup();
    await fixture.hsm.cleanup();
  });
  return fixture;
}
