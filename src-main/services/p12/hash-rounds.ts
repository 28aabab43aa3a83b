import { HASH_ROUNDS_WASM } from './hash-rounds-wasm';

/**
 * The PKCS#12 KDF's inner loop, A = H(H(...H(A))), for SHA-1 and SHA-256, in
 * WebAssembly (hash-rounds.wat). A call into OpenSSL per round cost ~2 µs; a
 * JavaScript loop ran in V8's interpreter until optimised, ~20 ms of a cold
 * CLI's .p12. SHA-1 runs four digests side by side (one per SIMD lane): the
 * compatible .p12's seven chains of 2,047 rounds in two passes, ~1.2 ms cold,
 * against ~3.2 ms one after another. 100,000 SHA-256 rounds for the modern
 * MAC: ~28 ms. ~1.4 ms to instantiate once.
 */
interface HashRoundsModule {
  memory: WebAssembly.Memory;
  sha1x4(rounds: number): void;
  sha256(rounds: number): void;
}

let wasm: HashRoundsModule | undefined;
const ROUNDS_PER_CALL = 256;
const SIZE = { sha1: 20, sha256: 32 } as const;
/** SHA-1 digests hashed side by side, and where hash-rounds.wat keeps them. */
export const SHA1_LANES = 4;
const SHA1_AT = 1024;

function instance(): HashRoundsModule {
  // A few KB: compiled synchronously, once per thread, on first use.
  wasm ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HASH_ROUNDS_WASM, 'base64'))).exports as unknown as HashRoundsModule;
  return wasm;
}

/**
 * In slices: V8 runs a WebAssembly call in its baseline code until the call
 * returns (there is no on-stack replacement), so one call of 100,000 rounds ran
 * at baseline speed (~250 ms); after a few slices the optimised code takes over.
 */
function sliced(run: (rounds: number) => void, rounds: number): void {
  for (let left = rounds; left > 0; left -= ROUNDS_PER_CALL) run(Math.min(ROUNDS_PER_CALL, left));
}

/** Each digest hashed `rounds` more times with `hash`, in order; SHA-1's four at a time. */
export function hashRoundsEach(hash: 'sha1' | 'sha256', digests: readonly Buffer[], rounds: number): Buffer[] {
  for (const digest of digests) {
    if (digest.length !== SIZE[hash]) throw new RangeError(`hashRoundsEach: a ${hash} digest is ${SIZE[hash]} bytes, not ${digest.length}`);
  }
  const module = instance();
  const out: Buffer[] = [];
  if (hash === 'sha256') {
    // The digest as big-endian 32-bit words at address 0, in and out.
    const words = new Int32Array(module.memory.buffer, 0, 8);
    for (const digest of digests) {
      for (let i = 0; i < 8; i++) words[i] = digest.readInt32BE(i * 4);
      sliced(module.sha256, rounds);
      out.push(fromWords(words, 8, 1, 0));
    }
    return out;
  }
  // Word i of lane j at SHA1_AT + 16i + 4j; a lane left empty hashes what it held before, unread.
  const words = new Int32Array(module.memory.buffer, SHA1_AT, 5 * SHA1_LANES);
  for (let first = 0; first < digests.length; first += SHA1_LANES) {
    const group = digests.slice(first, first + SHA1_LANES);
    group.forEach((digest, lane) => {
      for (let i = 0; i < 5; i++) words[i * SHA1_LANES + lane] = digest.readInt32BE(i * 4);
    });
    sliced(module.sha1x4, rounds);
    group.forEach((_, lane) => out.push(fromWords(words, 5, SHA1_LANES, lane)));
  }
  return out;
}

function fromWords(words: Int32Array, count: number, stride: number, lane: number): Buffer {
  const out = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) out.writeInt32BE(words[i * stride + lane]!, i * 4);
  return out;
}
