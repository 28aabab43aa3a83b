import path from 'node:path';

/**
 * The app icon the build renders from assets/icon.svg (dist/icons/), for the
 * window (Windows, Linux) and notifications. macOS takes the bundle's .icns.
 */
export function appIconPath(distDir: string): string {
  return path.join(distDir, 'icons', 'icon-256.png');
}
