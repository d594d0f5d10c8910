;; Philox4x32-10 blocks (Salmon et al., SC'11) for @gdl/tensor's Rng: the same words as philoxInto in rng.ts, with
;; each round's two 32 x 32 -> 64-bit products as one i64.mul each (JavaScript has no 64-bit integer multiply, so
;; rng.ts builds them from 16-bit halves). Assembled into the bytes of philox-wasm.ts with wabt 1.0.39:
;;   npx -p wabt@1.0.39 wat2wasm philox.wat -o philox.wasm
;; (Running two blocks side by side through the rounds measured no faster in V8.)
(module
  (memory (export "mem") 1)
  ;; count blocks of counters (lo, hi, 0, 0), (lo + 1, hi, 0, 0), ... (64-bit carry from lo into hi) under key
  ;; (k0, k1), 4 little-endian words each, written from byte `out` of the memory.
  (func (export "blocks") (param $out i32) (param $count i32) (param $lo i32) (param $hi i32) (param $k0 i32) (param $k1 i32)
    (local $i i32) (local $r i32) (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $a0 i32) (local $a1 i32)
    (local $p0 i64) (local $p1 i64)
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $c0 (local.get $lo))
        (local.set $c1 (local.get $hi))
        (local.set $c2 (i32.const 0))
        (local.set $c3 (i32.const 0))
        (local.set $a0 (local.get $k0))
        (local.set $a1 (local.get $k1))
        (local.set $r (i32.const 0))
        (loop $round
          (local.set $p0 (i64.mul (i64.extend_i32_u (local.get $c0)) (i64.const 0xd2511f53)))
          (local.set $p1 (i64.mul (i64.extend_i32_u (local.get $c2)) (i64.const 0xcd9e8d57)))
          (local.set $c0 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p1) (i64.const 32))) (local.get $c1)) (local.get $a0)))
          (local.set $c1 (i32.wrap_i64 (local.get $p1)))
          (local.set $c2 (i32.xor (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $p0) (i64.const 32))) (local.get $c3)) (local.get $a1)))
          (local.set $c3 (i32.wrap_i64 (local.get $p0)))
          (local.set $a0 (i32.add (local.get $a0) (i32.const 0x9e3779b9)))
          (local.set $a1 (i32.add (local.get $a1) (i32.const 0xbb67ae85)))
          (br_if $round (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 10))))
        (i32.store offset=0 (local.get $out) (local.get $c0))
        (i32.store offset=4 (local.get $out) (local.get $c1))
        (i32.store offset=8 (local.get $out) (local.get $c2))
        (i32.store offset=12 (local.get $out) (local.get $c3))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 1)))
        (if (i32.eqz (local.get $lo)) (then (local.set $hi (i32.add (local.get $hi) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $block)))))
