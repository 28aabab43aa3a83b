// Renders the app icon from assets/icon.svg: a 1024 px PNG (Linux, the window
// and notifications), a .ico with 16–256 px (Windows) and a .icns (macOS).
// Nothing generated is committed: `npm run build` writes them to dist/icons/,
// where electron-builder.yml and the Electron shell read them.
// Usage: node scripts/icons.mjs [outDir]   (default dist/icons)
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SOURCE = path.join(root, 'assets', 'icon.svg');

function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

/** Writes icon.png (1024 px), icon-256.png, icon.ico and icon.icns into outDir; returns their paths. */
export function generateIcons(outDir) {
  const svg = readFileSync(ICON_SOURCE);
  mkdirSync(outDir, { recursive: true });
  const png = renderPng(svg, 1024);
  const files = {
    png: path.join(outDir, 'icon.png'),
    png256: path.join(outDir, 'icon-256.png'),
    ico: path.join(outDir, 'icon.ico'),
    icns: path.join(outDir, 'icon.icns'),
  };
  writeFileSync(files.png, png);
  writeFileSync(files.png256, renderPng(svg, 256));
  // Small sizes as bitmaps, large as PNG: what Windows wants inside an .exe.
  const ico = png2icons.createICO(png, png2icons.BICUBIC2, 0, false, true);
  const icns = png2icons.createICNS(png, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not convert the rendered icon');
  writeFileSync(files.ico, ico);
  writeFileSync(files.icns, icns);
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = generateIcons(path.resolve(process.argv[2] ?? path.join(root, 'dist', 'icons')));
  console.log(`icons: ${Object.values(files).map((f) => path.relative(root, f)).join(', ')}`);
}
