import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** @electron/fuses' marker, followed by the wire: version 1, length, one '0'/'1' per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * A stand-in for Electron's unpacked Linux distribution (electron-builder's
 * `electronDist`), so `electron-builder --dir` runs without downloading
 * Electron: an "electron" file carrying a fuse wire in Electron 45's layout
 * (nine fuses, each the opposite of what electron-builder.yml asks for where
 * that is known, so a packaging that skipped the flip cannot pass).
 */
export async function createFakeElectronDist(dir: string, version: string): Promise<string> {
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.from('101101001', 'latin1');
  const binary = Buffer.concat([Buffer.from('#!/bin/sh\n# not Electron: a packaging stand-in\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(32)]);
  await writeFile(path.join(dir, 'electron'), binary, { mode: 0o755 });
  await writeFile(path.join(dir, 'version'), version);
  return dir;
}
