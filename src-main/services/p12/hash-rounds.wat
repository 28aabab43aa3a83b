;; The PKCS#12 KDF's inner loop (RFC 7292 appendix B), A = H(H(...H(A))), for SHA-1 and SHA-256.
;; Every round after the first hashes one digest, so the message is one padded 64-byte block of known
;; layout. WebAssembly runs it at full speed from the first call (a cold JavaScript loop runs in V8's
;; interpreter until it is optimised: ~20 ms of a CLI's .p12). Compiled into hash-rounds-wasm.ts by
;; `node scripts/wasm.mjs`; tests/unit/hash-rounds-wasm.test.ts checks the two agree.
;;
;; Memory: SHA-256's digest as big-endian 32-bit words at 0, in and out; its message schedule W at 64
;; (W[t] at 64 + 4t, written out inline: V8's baseline compiler, which runs a call until it is
;; optimised, does not inline calls); its round constants at 512. SHA-1's four digests at 1024: word i
;; of every lane in the 16 bytes at 1024 + 16i, lane j at byte 4j (each word's value as i32), in and out.
(module
  (memory (export "memory") 1)
  (data (i32.const 512)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

;; SHA-1 runs four digests at once, one per 32-bit lane of V128 values: the KDF's independent chains (a
;; key's first block, an IV, the MAC key) side by side for about a third more than one costs. Its 80 rounds
;; are written out by scripts/wasm.mjs (sha1x4), here:
;; @sha1x4

  (func (export "sha256") (param $rounds i32)
    (local $r i32) (local $t i32) (local $x i32) (local $y i32) (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $s4 i32) (local $s5 i32) (local $s6 i32) (local $s7 i32)
    (local.set $s0 (i32.load (i32.const 0)))
    (local.set $s1 (i32.load (i32.const 4)))
    (local.set $s2 (i32.load (i32.const 8)))
    (local.set $s3 (i32.load (i32.const 12)))
    (local.set $s4 (i32.load (i32.const 16)))
    (local.set $s5 (i32.load (i32.const 20)))
    (local.set $s6 (i32.load (i32.const 24)))
    (local.set $s7 (i32.load (i32.const 28)))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        ;; W[0..7] = the digest, then the padding: 0x80, zeros, the length in bits (256).
        (i32.store offset=64 (i32.const 0) (local.get $s0))
        (i32.store offset=68 (i32.const 0) (local.get $s1))
        (i32.store offset=72 (i32.const 0) (local.get $s2))
        (i32.store offset=76 (i32.const 0) (local.get $s3))
        (i32.store offset=80 (i32.const 0) (local.get $s4))
        (i32.store offset=84 (i32.const 0) (local.get $s5))
        (i32.store offset=88 (i32.const 0) (local.get $s6))
        (i32.store offset=92 (i32.const 0) (local.get $s7))
        (i32.store offset=96 (i32.const 0) (i32.const 0x80000000))
        (local.set $t (i32.const 9))
        (loop $zero
          (i32.store offset=64 (i32.shl (local.get $t) (i32.const 2)) (i32.const 0))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $zero (i32.lt_u (local.get $t) (i32.const 15))))
        (i32.store offset=124 (i32.const 0) (i32.const 256))
        (local.set $t (i32.const 16))
        (loop $schedule
          (local.set $x (i32.load offset=4 (i32.shl (local.get $t) (i32.const 2))))
          (local.set $y (i32.load offset=56 (i32.shl (local.get $t) (i32.const 2))))
          (i32.store offset=64 (i32.shl (local.get $t) (i32.const 2))
            (i32.add
              (i32.add (i32.load offset=0 (i32.shl (local.get $t) (i32.const 2)))
                       (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 7)) (i32.rotr (local.get $x) (i32.const 18))) (i32.shr_u (local.get $x) (i32.const 3))))
              (i32.add (i32.load offset=36 (i32.shl (local.get $t) (i32.const 2)))
                       (i32.xor (i32.xor (i32.rotr (local.get $y) (i32.const 17)) (i32.rotr (local.get $y) (i32.const 19))) (i32.shr_u (local.get $y) (i32.const 10))))))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $schedule (i32.lt_u (local.get $t) (i32.const 64))))
        (local.set $a (i32.const 0x6a09e667))
        (local.set $b (i32.const 0xbb67ae85))
        (local.set $c (i32.const 0x3c6ef372))
        (local.set $d (i32.const 0xa54ff53a))
        (local.set $e (i32.const 0x510e527f))
        (local.set $f (i32.const 0x9b05688c))
        (local.set $g (i32.const 0x1f83d9ab))
        (local.set $h (i32.const 0x5be0cd19))
        (local.set $t (i32.const 0))
        (loop $compress
          (local.set $t1
            (i32.add
              (i32.add (local.get $h)
                       (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11))) (i32.rotr (local.get $e) (i32.const 25))))
              (i32.add (i32.xor (i32.and (local.get $e) (local.get $f)) (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g)))
                       (i32.add (i32.load offset=512 (i32.shl (local.get $t) (i32.const 2))) (i32.load offset=64 (i32.shl (local.get $t) (i32.const 2)))))))
          (local.set $t2
            (i32.add (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13))) (i32.rotr (local.get $a) (i32.const 22)))
                     (i32.xor (i32.xor (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $a) (local.get $c))) (i32.and (local.get $b) (local.get $c)))))
          (local.set $h (local.get $g))
          (local.set $g (local.get $f))
          (local.set $f (local.get $e))
          (local.set $e (i32.add (local.get $d) (local.get $t1)))
          (local.set $d (local.get $c))
          (local.set $c (local.get $b))
          (local.set $b (local.get $a))
          (local.set $a (i32.add (local.get $t1) (local.get $t2)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $compress (i32.lt_u (local.get $t) (i32.const 64))))
        (local.set $s0 (i32.add (i32.const 0x6a09e667) (local.get $a)))
        (local.set $s1 (i32.add (i32.const 0xbb67ae85) (local.get $b)))
        (local.set $s2 (i32.add (i32.const 0x3c6ef372) (local.get $c)))
        (local.set $s3 (i32.add (i32.const 0xa54ff53a) (local.get $d)))
        (local.set $s4 (i32.add (i32.const 0x510e527f) (local.get $e)))
        (local.set $s5 (i32.add (i32.const 0x9b05688c) (local.get $f)))
        (local.set $s6 (i32.add (i32.const 0x1f83d9ab) (local.get $g)))
        (local.set $s7 (i32.add (i32.const 0x5be0cd19) (local.get $h)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (i32.store (i32.const 0) (local.get $s0))
    (i32.store (i32.const 4) (local.get $s1))
    (i32.store (i32.const 8) (local.get $s2))
    (i32.store (i32.const 12) (local.get $s3))
    (i32.store (i32.const 16) (local.get $s4))
    (i32.store (i32.const 20) (local.get $s5))
    (i32.store (i32.const 24) (local.get $s6))
    (i32.store (i32.const 28) (local.get $s7)))
)
