import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
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

/** The user's choices, in settings.json in the data folder. */
export class SettingsStore {
  private cached: Settings | undefined;

  constructor(private readonly file: string) {}

  static inDataDir(dataDir: string): SettingsStore {
    return new SettingsStore(path.join(dataDir, 'settings.json'));
  }

  async get(): Promise<Settings> {
    if (this.cached) return this.cached;
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      // A damaged settings file only costs the remembered choices.
      this.cached = parsed.success ? parsed.data : {};
    } catch {
      this.cached = {};
    }
    return this.cached;
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...change };
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2), { mode: 0o600 });
    this.cached = next;
    return next;
  }
}
