import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { AppError } from '../../src/contract/errors';
import { moveAside } from '../storage/damaged-file';
import { writeFileAtomic } from './atomic-file';

const settingsSchema = z.object({
  /** The PKCS#11 library the user chose last. */
  pkcs11Library: z.string().optional(),
  /** Where downloaded certificates and .p12 files go. */
  outputDir: z.string().optional(),
  /** A real AMS; absent: the embedded mock. LOCK_AMS_URL wins over it. */
  amsUrl: z.string().optional(),
  language: z.enum(['id', 'en']).optional(),
  /** How AMS is reached: the system proxy (default), a manual one, or none. */
  proxyMode: z.enum(['system', 'manual', 'none']).optional(),
  proxyUrl: z.string().optional(),
  /** Trust the OS certificate store for HTTPS to AMS (default true). */
  trustSystemCa: z.boolean().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * The user's choices, in settings.json in the data folder. A file that does not
 * parse costs only the remembered choices: it is moved aside as
 * settings.damaged-<time>.json, `notices` holds a SETTINGS_DAMAGED naming it,
 * and the defaults apply. The file is read again on every get (another process
 * may have changed it) and written whole, atomically.
 */
export class SettingsStore {
  readonly notices: AppError[] = [];

  constructor(private readonly file: string) {}

  static inDataDir(dataDir: string): SettingsStore {
    return new SettingsStore(path.join(dataDir, 'settings.json'));
  }

  async get(): Promise<Settings> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      return settingsSchema.parse(JSON.parse(text));
    } catch {
      const aside = await moveAside(this.file);
      this.notices.push(new AppError('SETTINGS_DAMAGED', { detail: aside }));
      return {};
    }
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...change };
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2), { mode: 0o600, faultable: true });
    return next;
  }
}
