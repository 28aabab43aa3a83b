// The least a Node process can do for `lock-desktop bundle-p12` (compatible): the same .p12 as
// pkcs12-builder.ts (3DES key and certificate bags, HMAC-SHA1 MAC, 2,048 iterations) with Node's
// built-ins and the same WebAssembly hash rounds (the KDF's chains side by side), a DER writer of a few lines, and none of the
// CLI's checks, messages or atomic write. The bench times it beside the CLI to show how much of
// the CLI's time Node and the work itself take. Usage: p12-floor.mjs CERTS.pem KEY.pem OUT.p12 PASSWORD-FILE
const { createCipheriv, createHash, createHmac, createPrivateKey, randomBytes } = process.getBuiltinModule('node:crypto');
const fs = process.getBuiltinModule('node:fs');

const [certFile, keyFile, outFile, passwordFile] = process.argv.slice(2);
const password = fs.readFileSync(passwordFile, 'utf8').split(/\r?\n/)[0];
const certificates = [...fs.readFileSync(certFile, 'utf8').matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1], 'base64'));
const pkcs8 = createPrivateKey(fs.readFileSync(keyFile, 'utf8')).export({ type: 'pkcs8', format: 'der' });

// DER: tag, length, content.
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
};
const seq = (...p) => tlv(0x30, ...p);
const set = (...p) => tlv(0x31, ...p);
const octets = (b) => tlv(0x04, b);
const int = (n) => tlv(0x02, Buffer.from(n < 0x80 ? [n] : [n >> 8, n & 0xff]));
const explicit0 = (...p) => tlv(0xa0, ...p);
const oid = (dotted) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const v of rest) {
    const base128 = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) base128.unshift((x & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
};
const bmp = (text) => tlv(0x1e, Buffer.from(text, 'utf16le').swap16());

// The KDF's inner loop in the same WebAssembly module as the CLI (hash-rounds.wat): four SHA-1 chains
// side by side, 256 rounds per call.
const wasmBase64 = /'([A-Za-z0-9+/=]+)'/.exec(fs.readFileSync(new URL('../../src-main/services/p12/hash-rounds-wasm.ts', import.meta.url), 'utf8'))[1];
const wasm = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasmBase64, 'base64'))).exports;
const sha1Rounds4 = (digests, rounds) => {
  const words = new Int32Array(wasm.memory.buffer, 1024, 20);
  digests.forEach((d, lane) => { for (let i = 0; i < 5; i++) words[i * 4 + lane] = d.readInt32BE(i * 4); });
  for (let left = rounds; left > 0; left -= 256) wasm.sha1x4(Math.min(256, left));
  return digests.map((_, lane) => { const out = Buffer.alloc(20); for (let i = 0; i < 5; i++) out.writeInt32BE(words[i * 4 + lane], i * 4); return out; });
};
// RFC 7292 appendix B with SHA-1 (u = 20, v = 64), for [salt, id, length] requests at once, the longest first.
const ITERATIONS = 2048;
const fill = (src) => Buffer.from(Array.from({ length: 64 * Math.ceil(src.length / 64) }, (_, i) => src[i % src.length]));
const kdfs = (requests) => {
  const pw = fill(Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]));
  const chains = requests.map(([salt, id, length]) => ({ id, I: Buffer.concat([fill(salt), pw]), out: Buffer.alloc(length), at: 0 }));
  for (;;) {
    const pass = chains.filter((c) => c.at < c.out.length).sort((a, b) => b.out.length - b.at - (a.out.length - a.at)).slice(0, 4);
    if (pass.length === 0) return chains.map((c) => c.out);
    const As = sha1Rounds4(pass.map((c) => createHash('sha1').update(Buffer.alloc(64, c.id)).update(c.I).digest()), ITERATIONS - 1);
    pass.forEach((c, k) => {
      As[k].copy(c.out, c.at, 0, Math.min(20, c.out.length - c.at));
      c.at += 20;
      const B = fill(As[k]);
      c.I = Buffer.from(c.I);
      for (let j = 0; j < c.I.length; j += 64) for (let i = 63, carry = 1; i >= 0; i--) { const sum = c.I[j + i] + B[i] + carry; c.I[j + i] = sum & 0xff; carry = sum >> 8; }
    });
  }
};
const [certSalt, keySalt, macSalt] = [randomBytes(8), randomBytes(8), randomBytes(8)];
const [certKey, certIv, keyKey, keyIv, macKey] = kdfs([[certSalt, 1, 24], [certSalt, 2, 8], [keySalt, 1, 24], [keySalt, 2, 8], [macSalt, 3, 20]]);
const tripleDes = (plain, salt, key, iv) => {
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  return { algorithm: seq(oid('1.2.840.113549.1.12.1.3'), seq(octets(salt), int(ITERATIONS))), ciphertext: Buffer.concat([cipher.update(plain), cipher.final()]) };
};

const [leaf, ...chain] = certificates;
const attributes = set(
  seq(oid('1.2.840.113549.1.9.20'), set(bmp('MAMAN'))),
  seq(oid('1.2.840.113549.1.9.21'), set(octets(createHash('sha1').update(leaf).digest()))),
);
const certBag = (cert, attrs) => seq(oid('1.2.840.113549.1.12.10.1.3'), explicit0(seq(oid('1.2.840.113549.1.9.22.1'), explicit0(octets(cert)))), ...(attrs ? [attrs] : []));
const certs = tripleDes(seq(certBag(leaf, attributes), ...chain.map((c) => certBag(c))), certSalt, certKey, certIv);
const key = tripleDes(pkcs8, keySalt, keyKey, keyIv);
const keyContents = seq(seq(oid('1.2.840.113549.1.12.10.1.2'), explicit0(seq(key.algorithm, octets(key.ciphertext))), attributes));
const authSafe = seq(
  seq(oid('1.2.840.113549.1.7.6'), explicit0(seq(int(0), seq(oid('1.2.840.113549.1.7.1'), certs.algorithm, tlv(0x80, certs.ciphertext))))),
  seq(oid('1.2.840.113549.1.7.1'), explicit0(octets(keyContents))),
);
const mac = createHmac('sha1', macKey).update(authSafe).digest();
const pfx = seq(int(3), seq(oid('1.2.840.113549.1.7.1'), explicit0(octets(authSafe))), seq(seq(seq(oid('1.3.14.3.2.26'), tlv(0x05)), octets(mac)), octets(macSalt), int(ITERATIONS)));
fs.writeFileSync(outFile, pfx, { flag: 'wx' });
