/**
 * A hand-assembled WebAssembly SIMD (f32x4) matrix-vector product, embedded as bytes so it needs no build step and
 * runs wherever JS does (Node, Lambda's JS-only bundle, browsers). It is the sampler's hot loop: plain JS loops
 * reach ≈1 GFLOP/s, which leaves the default model at ≈1 ms/event.
 *
 * The module imports its memory; callers place matrices and vectors in it (see {@link MatVecMemory}).
 */

/** A float32 arena with a matrix-vector product over it: wasm SIMD where the runtime has it, plain JS otherwise. */
export interface MatVecMemory {
  /** The arena (it never grows, so views into it stay valid). */
  readonly floats: Float32Array;
  /** Whether the wasm SIMD kernel runs (false: the plain JS loop). */
  readonly simd: boolean;
  /**
   * out[r] += Σ_k matrix[r × width + k] · vector[k] for r < rows. Offsets are float indices into `floats`, multiples
   * of 4 (16-byte aligned), as are rows and width. SIMD sums run in float32, four lanes per row.
   */
  matVec(matrix: number, vector: number, out: number, rows: number, width: number): void;
}

const pageBytes = 65536;

/**
 * An arena of at least `floats` float32s with the matvec bound to it.
 *
 * @example
 * const arena = createMatVecMemory(rows * width + width + rows);
 * arena.floats.set(weights, 0); arena.floats.set(x, rows * width);
 * arena.matVec(0, rows * width, rows * width + width, rows, width);
 */
export function createMatVecMemory(floats: number, options: { simd?: boolean } = {}): MatVecMemory {
  const useSimd = (options.simd ?? true) && hasWasmSimd();
  const check = (matrix: number, vector: number, out: number, rows: number, width: number) => {
    if ((matrix | vector | out | rows | width) & 3 || rows <= 0 || width <= 0) {
      throw new RangeError('matVec offsets, rows and width must be positive multiples of 4');
    }
  };
  if (!useSimd) {
    const arena = new Float32Array(floats);
    return {
      floats: arena,
      simd: false,
      matVec(matrix, vector, out, rows, width) {
        check(matrix, vector, out, rows, width);
        matVecJs(arena, matrix, vector, out, rows, width);
      },
    };
  }
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / pageBytes)) });
  const instance = new WebAssembly.Instance(matVecModule(), { env: { memory } });
  const run = instance.exports['matvec'] as (m: number, v: number, o: number, rows: number, width: number) => void;
  return {
    floats: new Float32Array(memory.buffer),
    simd: true,
    matVec(matrix, vector, out, rows, width) {
      check(matrix, vector, out, rows, width);
      run(matrix * 4, vector * 4, out * 4, rows, width);
    },
  };
}

/** Whether this runtime compiles wasm SIMD (Node ≥ 16.4, current browsers). */
export function hasWasmSimd(): boolean {
  try {
    matVecModule();
    return true;
  } catch {
    return false;
  }
}

/** The fallback: four accumulators so V8 keeps the loop pipelined; sums in float64. */
function matVecJs(f: Float32Array, matrix: number, vector: number, out: number, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    const base = matrix + r * width;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let k = 0; k < width; k += 4) {
      a0 += f[base + k]! * f[vector + k]!;
      a1 += f[base + k + 1]! * f[vector + k + 1]!;
      a2 += f[base + k + 2]! * f[vector + k + 2]!;
      a3 += f[base + k + 3]! * f[vector + k + 3]!;
    }
    f[out + r]! += a0 + a1 + a2 + a3;
  }
}

let compiled: WebAssembly.Module | undefined;

function matVecModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(matVecBytes());
  return compiled;
}

// Opcodes used below (core and the 0xfd SIMD prefix).
const op = {
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Shl: 0x74,
  void: 0x40,
  i32: 0x7f,
  v128: 0x7b,
} as const;
const simd = {
  load: [0xfd, 0x00],
  store: [0xfd, 0x0b],
  const: [0xfd, 0x0c],
  shuffle: [0xfd, 0x0d],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
} as const;

// Locals: parameters first, then the declared ones.
const M = 0; // matrix byte offset, advanced row block by row block
const V = 1; // vector byte offset
const OUT = 2; // out byte offset, advanced by 16 per row block
const ROWS = 3;
const WIDTH = 4;
const ROW_BYTES = 5;
const R = 6;
const K = 7;
const ROW1 = 8;
const ROW2 = 9;
const ROW3 = 10;
const X = 11; // v128
const ACC = [12, 13, 14, 15]; // v128 accumulators, one per row of the block
const T0 = 16; // v128 scratch
const T1 = 17;

/** Float lanes a,b of the first operand and c,d of the second (lanes 4-7), as an i8x16.shuffle immediate. */
function lanes(...floatLanes: number[]): number[] {
  return floatLanes.flatMap((lane) => [lane * 4, lane * 4 + 1, lane * 4 + 2, lane * 4 + 3]);
}

function matVecBytes(): Uint8Array<ArrayBuffer> {
  const get = (local: number) => [op.localGet, local];
  const set = (local: number) => [op.localSet, local];
  const memArg = [4, 0]; // align 2^4, offset 0
  const load = (...address: number[]) => [...address, ...simd.load, ...memArg];
  // Σ of each accumulator into one vector: pairwise adds over two shuffles, then two more.
  const pairSums = (a: number, b: number) => [
    ...get(a), ...get(b), ...simd.shuffle, ...lanes(0, 1, 4, 5),
    ...get(a), ...get(b), ...simd.shuffle, ...lanes(2, 3, 6, 7),
    ...simd.f32x4Add,
  ];
  const rowDot = (row: number, acc: number) => [
    ...get(acc), ...load(...get(row), ...get(K), op.i32Add), ...get(X), ...simd.f32x4Mul, ...simd.f32x4Add, ...set(acc),
  ];
  const body = [
    // locals: 6 × i32 (ROW_BYTES..ROW3), 7 × v128 (X, ACC×4, T0, T1)
    2, 6, op.i32, 7, op.v128,
    ...get(WIDTH), op.i32Const, 2, op.i32Shl, ...set(ROW_BYTES),
    op.i32Const, 0, ...set(R),
    op.loop, op.void,
    ...ACC.flatMap((acc) => [...simd.const, ...new Array(16).fill(0), ...set(acc)]),
    ...get(M), ...get(ROW_BYTES), op.i32Add, op.localTee, ROW1,
    ...get(ROW_BYTES), op.i32Add, op.localTee, ROW2,
    ...get(ROW_BYTES), op.i32Add, ...set(ROW3),
    op.i32Const, 0, ...set(K),
    op.loop, op.void,
    ...load(...get(V), ...get(K), op.i32Add), ...set(X),
    ...rowDot(M, ACC[0]!), ...rowDot(ROW1, ACC[1]!), ...rowDot(ROW2, ACC[2]!), ...rowDot(ROW3, ACC[3]!),
    ...get(K), op.i32Const, 16, op.i32Add, op.localTee, K, ...get(ROW_BYTES), op.i32LtU, op.brIf, 0,
    op.end,
    ...pairSums(ACC[0]!, ACC[1]!), ...set(T0),
    ...pairSums(ACC[2]!, ACC[3]!), ...set(T1),
    ...get(OUT),
    ...load(...get(OUT)),
    ...get(T0), ...get(T1), ...simd.shuffle, ...lanes(0, 2, 4, 6),
    ...get(T0), ...get(T1), ...simd.shuffle, ...lanes(1, 3, 5, 7),
    ...simd.f32x4Add, ...simd.f32x4Add,
    ...simd.store, ...memArg,
    ...get(ROW3), ...get(ROW_BYTES), op.i32Add, ...set(M),
    ...get(OUT), op.i32Const, 16, op.i32Add, ...set(OUT),
    ...get(R), op.i32Const, 4, op.i32Add, op.localTee, R, ...get(ROWS), op.i32LtU, op.brIf, 0,
    op.end,
    op.end,
  ];
  const name = (text: string) => [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, op.i32, op.i32, op.i32, op.i32, op.i32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('matvec'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}
