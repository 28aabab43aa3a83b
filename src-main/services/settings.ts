import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';

const settingsSchema = z.object({
  /** The PKCS#11 library the user chose last. */
  pkcs11Library: z.string().optional(),
  /** Where downloaded certificates and .p12 files go. */
  outputDir: z.string().optional(),
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
