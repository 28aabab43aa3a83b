import { existsSync } from 'node:fs';
import os from 'node:os';
import catalogue from '../../../native/pkcs11-drivers.json';

export interface Driver {
  id: string;
  name: string;
  path: string;
}

interface CatalogueEntry {
  id: string;
  name: string;
  paths: Partial<Record<NodeJS.Platform, string[]>>;
}

/** %SystemRoot%-style variables and a leading ~ in catalogue paths. */
export function expandPath(value: string, env: NodeJS.ProcessEnv, home = os.homedir()): string {
  return value.replace(/%([A-Za-z_]+)%/g, (whole, name: string) => env[name] ?? whole).replace(/^~(?=$|[\\/])/, home);
}

/** The catalogue's drivers whose library exists on this computer, first existing path each. */
export function presentDrivers(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): Driver[] {
  const found: Driver[] = [];
  for (const entry of catalogue.drivers as CatalogueEntry[]) {
    const file = (entry.paths[platform] ?? []).map((p) => expandPath(p, env)).find(exists);
    if (file) found.push({ id: entry.id, name: entry.name, path: file });
  }
  return found;
}
