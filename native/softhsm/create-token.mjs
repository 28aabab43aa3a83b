#!/usr/bin/env node
// Creates a throw-away SoftHSM2 token for QA and prints the SOFTHSM2_CONF to use.
//
//   node native/softhsm/create-token.mjs --dir DIR [--label ST3] [--pin 123456] [--so-pin 12345678]
//
// Works on Windows, macOS and Linux wherever `softhsm2-util` is on the PATH. The
// token lives only in DIR; delete DIR to throw it away.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Library paths where SoftHSM2's PKCS#11 module usually lives, per OS. */
export const SOFTHSM_LIBRARIES = {
  linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
  darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
  win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll', 'C:\\SoftHSM2\\lib\\softhsm2.dll'],
};

/**
 * Writes DIR/softhsm2.conf with its token folder inside DIR, initialises a token
 * and returns the config path. Throws with softhsm2-util's message on failure.
 */
export function createSoftHsmToken({ dir, label = 'ST3', pin = '123456', soPin = '12345678' }) {
  const tokens = path.join(dir, 'tokens');
  mkdirSync(tokens, { recursive: true });
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`);
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return conf;
}

// Run as a script (not when bundled into the bench, where import.meta.url is empty).
const self = import.meta.url ? fileURLToPath(import.meta.url) : undefined;
if (self && process.argv[1] && path.resolve(process.argv[1]) === self) {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, label: { type: 'string' }, pin: { type: 'string' }, 'so-pin': { type: 'string' } },
  });
  if (!values.dir) {
    console.error('usage: node native/softhsm/create-token.mjs --dir DIR [--label ST3] [--pin 123456] [--so-pin 12345678]');
    process.exit(2);
  }
  const conf = createSoftHsmToken({ dir: path.resolve(values.dir), label: values.label, pin: values.pin, soPin: values['so-pin'] });
  const library = (SOFTHSM_LIBRARIES[process.platform] ?? []).find((p) => existsSync(p));
  console.log(`SOFTHSM2_CONF=${conf}`);
  if (library) console.log(`PKCS#11 library: ${library}`);
  console.log(process.platform === 'win32' ? `set SOFTHSM2_CONF=${conf}` : `export SOFTHSM2_CONF=${conf}`);
}
