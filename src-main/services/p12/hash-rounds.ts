import { HASH_ROUNDS_WASM } from './hash-rounds-wasm';

/**
 * The PKCS#12 KDF's inner loop, A = H(H(...H(A))), for SHA-1 and SHA-256, in
 * WebAssembly (hash-rounds.wat). A call into OpenSSL per round cost ~2 µs; a
 * JavaScript loop ran in V8's interpreter until optimised, ~20 ms of a cold
 * CLI's .p12 (6,141 SHA-1 rounds: 20–45 ms cold in JavaScript, ~5 ms here;
 * 100,000 SHA-256 rounds for the modern MAC: 76–92 ms, ~28 ms here; ~1.4 ms to
 * instantiate once).
 */
interface HashRoundsModule {
  memory: WebAssembly.Memory;
  sha1(rounds: number): void;
  sha256(rounds: number): void;
}

let wasm: HashRoundsModule | undefined;
const ROUNDS_PER_CALL = 256;

function instance(): HashRoundsModule {
  // 1.5 KB: compiled synchronously, once per thread, on first use.
  wasm ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HASH_ROUNDS_WASM, 'base64'))).exports as unknown as HashRoundsModule;
  return wasm;
}

/** `digest` hashed `rounds` more times with `hash`. */
export function hashRounds(hash: 'sha1' | 'sha256', digest: Buffer, rounds: number): Buffer {
  const size = hash === 'sha1' ? 20 : 32;
  if (digest.length !== size) throw new RangeError(`hashRounds: a ${hash} digest is ${size} bytes, not ${digest.length}`);
  const module = instance();
  // The digest as big-endian 32-bit words at address 0, in and out.
  const words = new Int32Array(module.memory.buffer, 0, size / 4);
  for (let i = 0; i < words.length; i++) words[i] = digest.readInt32BE(i * 4);
  // In slices: V8 runs a WebAssembly call in its baseline code until the call returns (there is no
  // on-stack replacement), so one call of 100,000 rounds ran at baseline speed (~250 ms); after a few
  // slices the optimised code takes over (~28 ms).
  for (let left = rounds; left > 0; left -= ROUNDS_PER_CALL) module[hash](Math.min(ROUNDS_PER_CALL, left));
  const out = Buffer.alloc(size);
  for (let i = 0; i < words.length; i++) out.writeInt32BE(words[i]!, i * 4);
  return out;
}
