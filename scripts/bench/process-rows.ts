import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { opensslExportArgs, PASSWORD, type P12Fixture } from './crypto-rows';
import { interleaved, ROUNDS, runCold, type Row } from './measure';

const BIN = path.resolve('bin/lock-desktop.cjs');
const FLOOR = path.resolve('scripts/bench/show-floor.mjs');
const P12_FLOOR = path.resolve('scripts/bench/p12-floor.mjs');
const node = process.execPath;
// A cold process varies by tens of ms from run to run (page cache, scheduler): three times the rounds, so the
// medians settle which side of a target a row is on. Each round is a fraction of a second.
const PROCESS_ROUNDS = 3 * ROUNDS;

/**
 * Whole cold processes against whole cold processes. A CLI written for Node
 * cannot start faster than Node, so the anchor is Node's own start-up plus the
 * best tool doing the same work, in one shell.
 */
export async function processRows(f: P12Fixture, dir: string, mock: { url: string; token: string }): Promise<Row[]> {
  const passwordFile = path.join(dir, 'p12-password.txt');
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  // The certificate with its chain, as the openssl anchor gets them (-in and -certfile): both .p12 hold all three.
  const certWithChain = path.join(dir, 'p12-with-chain.pem');
  writeFileSync(certWithChain, readFileSync(f.certFile, 'utf8') + readFileSync(f.chainFile, 'utf8'));
  const rows: Row[] = [];
  const fixtureKey = createPublicKey(f.key).export({ type: 'spki', format: 'pem' });
  let n = 0;
  for (const profile of ['compatible', 'modern'] as const) {
    const ours = () =>
      runCold(node, [BIN, 'bundle-p12', '--cert', certWithChain, '--key', f.keyFile, '--out', path.join(dir, `cli-${profile}-${n++}.p12`), '--password-file', passwordFile, ...(profile === 'modern' ? ['--modern'] : [])]);
    const anchor = () => runCold('sh', ['-c', `"${node}" -e 0 && openssl ${opensslExportArgs(f, profile, path.join(dir, 'sh.p12')).map((a) => `'${a}'`).join(' ')}`]);
    const [a, b] = await interleaved(ours, anchor, PROCESS_ROUNDS);
    // Like for like, checked: our .p12 holds the same three certificates as OpenSSL's, and the key (decrypted).
    const certificates = (file: string) => execFileSync('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', `file:${passwordFile}`], { encoding: 'utf8' }).split('BEGIN CERTIFICATE').length - 1;
    const holdsKey = (file: string) => {
      const keyPem = execFileSync('openssl', ['pkcs12', '-in', file, '-nocerts', '-nodes', '-passin', `file:${passwordFile}`], { encoding: 'utf8' });
      return createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }) === fixtureKey;
    };
    const checked = (file: string) => certificates(file) === 3 && holdsKey(file);
    const [mine, theirs] = [path.join(dir, `cli-${profile}-${n - 1}.p12`), path.join(dir, 'sh.p12')];
    if (!checked(mine) || !checked(theirs)) throw new Error(`bench: ${mine} or ${theirs} does not hold the 3 certificates and the key`);
    // Not a target, the physical floor of the compatible .p12: Node doing only its steps with built-ins,
    // interleaved with the anchor again so the two compare in one pass.
    const floor =
      profile === 'compatible' ? await interleaved(() => runCold(node, [P12_FLOOR, certWithChain, f.keyFile, path.join(dir, `floor-${n++}.p12`), passwordFile]), anchor, PROCESS_ROUNDS) : undefined;
    if (floor && !checked(path.join(dir, `floor-${n - 1}.p12`))) throw new Error('bench: the floor .p12 does not hold the 3 certificates and the key');
    rows.push({
      name: `CLI bundle-p12${profile === 'modern' ? ' --modern' : ''}, whole process`,
      ours: a,
      unit: 'ms',
      anchor: { value: b, what: '`node -e 0 && openssl pkcs12 -export`, same algorithms' },
      target: { kind: 'ratio', max: 1.5 },
      ...(floor ? { note: `Node doing only the .p12's steps (scripts/bench/p12-floor.mjs): ${floor[0].toFixed(0)} ms, ${(floor[0] / floor[1]).toFixed(2)}× the anchor` } : {}),
    });
  }
  const [help, bare] = await interleaved(() => runCold(node, [BIN, '--help']), () => runCold(node, ['-e', '0']), PROCESS_ROUNDS);
  rows.push({ name: 'CLI --help, whole process', ours: help, unit: 'ms', anchor: { value: bare, what: '`node -e 0`' }, target: { kind: 'ratio', max: 2.5 } });
  const tokenFile = path.join(dir, 'show-token.txt');
  writeFileSync(tokenFile, mock.token);
  const dataDir = path.join(dir, 'show-data');
  const lookup = `curl -sf -X POST -H 'content-type: application/json' --data '${JSON.stringify({ token: mock.token })}' '${mock.url}/api/lock/v1/employee'`;
  const [show, curl] = await interleaved(
    () => runCold(node, [BIN, '--data-dir', dataDir, 'show', '--server', mock.url, '--token-file', tokenFile]),
    () => runCold('sh', ['-c', `"${node}" -e 0 && ${lookup} > /dev/null`]),
    PROCESS_ROUNDS,
  );
  // Not a target, the physical floor: Node doing only the look-up's steps with its built-ins.
  const [floor] = await interleaved(() => runCold(node, [FLOOR, mock.url, tokenFile, path.join(dir, 'floor.sqlite')]), () => {}, PROCESS_ROUNDS);
  rows.push({
    name: 'CLI show, whole process',
    ours: show,
    unit: 'ms',
    anchor: { value: curl, what: '`node -e 0 && curl`, the same look-up' },
    target: { kind: 'max', max: 150 },
    note: `Node doing only the look-up's steps (scripts/bench/show-floor.mjs): ${floor.toFixed(0)} ms`,
  });
  return rows;
}
