import * as ort from 'onnxruntime-node';
import { encodeOnnxModel, type OnnxGraph, type OnnxNode } from './onnx-graph.js';

/** A row-major float32 matrix over (a slice of) a Float32Array; not SharedArrayBuffer-backed (onnxruntime refuses). */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) throw new RangeError(`a ${rows}×${cols} matrix needs ${rows * cols} floats, got ${data.length}`);
  return { data, rows, cols };
}

const graphs = {
  matmul: graph('matmul', ['a', 'b'], [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }]),
  matmulBias: graph('matmulBias', ['a', 'b', 'bias'], [{ op: 'Gemm', inputs: ['a', 'b', 'bias'], outputs: ['y'] }]),
  matmulTransA: graph('matmulTransA', ['a', 'b'], [{ op: 'Gemm', inputs: ['a', 'b'], outputs: ['y'], attributes: { transA: 1 } }]),
  matmulTransB: graph('matmulTransB', ['a', 'b'], [{ op: 'Gemm', inputs: ['a', 'b'], outputs: ['y'], attributes: { transB: 1 } }]),
  /**
   * One LSTM step, tfjs gate order i, f, c, o, with the cell-input columns of x and R pre-scaled by 2 so that a single
   * Sigmoid over all gates serves them all: tanh(z) = 2σ(2z) − 1. gates = σ(x + h·R) (the cell-input block holding
   * σ(2z)); g = 2σ(2z) − 1; c' = f⊙c + i⊙g; h' = o⊙tanh(c'). Outputs gates and tanh(c') for the backward pass.
   * `r` comes transposed, [4U × U], and h·R is taken as (Rᵀ·hᵀ)ᵀ: with a few dozen rows per worker onnxruntime runs
   * the product with the large dimension first faster — this graph in 0.6–0.7 of the time, a whole training step in
   * 0.85 (2×256) to 0.95 (2×512) at 32 rows (onnxruntime 1.30, AVX2 machine).
   */
  lstmStep: {
    name: 'lstmStep',
    inputs: ['x', 'h', 'c', 'r'].map((name) => ({ name, rank: 2 })),
    outputs: ['gates', 'cNext', 'tanhC', 'hNext'],
    constants: { one: 1, two: 2 },
    nodes: [
      transpose('h', 'hT'),
      { op: 'MatMul', inputs: ['r', 'hT'], outputs: ['hrT'] },
      transpose('hrT', 'hr'),
      { op: 'Add', inputs: ['hr', 'x'], outputs: ['z'] },
      { op: 'Sigmoid', inputs: ['z'], outputs: ['gates'] },
      { op: 'Split', inputs: ['gates'], outputs: ['i', 'f', 'sg', 'o'], attributes: { axis: 1 } },
      { op: 'Mul', inputs: ['sg', 'two'], outputs: ['sg2'] },
      { op: 'Sub', inputs: ['sg2', 'one'], outputs: ['g'] },
      { op: 'Mul', inputs: ['f', 'c'], outputs: ['fc'] },
      { op: 'Mul', inputs: ['i', 'g'], outputs: ['ig'] },
      { op: 'Add', inputs: ['fc', 'ig'], outputs: ['cNext'] },
      { op: 'Tanh', inputs: ['cNext'], outputs: ['tanhC'] },
      { op: 'Mul', inputs: ['o', 'tanhC'], outputs: ['hNext'] },
    ],
  } satisfies OnnxGraph,
};

function transpose(input: string, output: string): OnnxNode {
  return { op: 'Transpose', inputs: [input], outputs: [output], attributes: { perm: [1, 0] } };
}

function graph(name: string, inputs: string[], nodes: OnnxGraph['nodes']): OnnxGraph {
  return { name, inputs: inputs.map((input) => ({ name: input, rank: input === 'bias' ? 1 : 2 })), outputs: ['y'], nodes };
}

const rowBlock = 512;

type Sessions = Record<keyof typeof graphs, ort.InferenceSession>;

/**
 * The engine's matrix products (and the fused forward LSTM step) run by onnxruntime on one intra-op thread; results
 * are written straight into the caller's pre-allocated arrays.
 */
export class OnnxKernels {
  private constructor(private readonly sessions: Sessions) {}

  /** Compiles the graphs; one thread each because the engine parallelises over worker processes instead. */
  static async create(): Promise<OnnxKernels> {
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const entries = await Promise.all(
      Object.entries(graphs).map(async ([name, spec]) => [name, await ort.InferenceSession.create(encodeOnnxModel(spec), options)]),
    );
    return new OnnxKernels(Object.fromEntries(entries) as Sessions);
  }

  /** out = a·b (+ bias broadcast over rows). */
  async matmul(a: Matrix, b: Matrix, out: Matrix, bias?: Float32Array): Promise<void> {
    checkShapes(a.cols === b.rows && out.rows === a.rows && out.cols === b.cols, 'a·b', a, b, out);
    const biasTensor = bias && new ort.Tensor('float32', bias, [bias.length]);
    await this.byRowBlocks(a, out, (aRows, outRows) =>
      biasTensor
        ? this.run('matmulBias', { a: tensor(aRows), b: tensor(b), bias: biasTensor }, outRows)
        : this.run('matmul', { a: tensor(aRows), b: tensor(b) }, outRows),
    );
  }

  /** out = aᵀ·b. */
  async matmulTransA(a: Matrix, b: Matrix, out: Matrix): Promise<void> {
    checkShapes(a.rows === b.rows && out.rows === a.cols && out.cols === b.cols, 'aᵀ·b', a, b, out);
    await this.run('matmulTransA', { a: tensor(a), b: tensor(b) }, out);
  }

  /** out = a·bᵀ. */
  async matmulTransB(a: Matrix, b: Matrix, out: Matrix): Promise<void> {
    checkShapes(a.cols === b.cols && out.rows === a.rows && out.cols === b.rows, 'a·bᵀ', a, b, out);
    await this.byRowBlocks(a, out, (aRows, outRows) => this.run('matmulTransB', { a: tensor(aRows), b: tensor(b) }, outRows));
  }

  /**
   * One forward LSTM step for a batch: see `graphs.lstmStep`. `x` already holds input·kernel + bias, scaled the same
   * way; `transposedRecurrentKernel` is [4U × U].
   */
  async lstmStep(
    step: { x: Matrix; h: Matrix; c: Matrix; transposedRecurrentKernel: Matrix },
    out: { gates: Matrix; c: Matrix; tanhC: Matrix; h: Matrix },
  ): Promise<void> {
    const fetches = { gates: tensor(out.gates), cNext: tensor(out.c), tanhC: tensor(out.tanhC), hNext: tensor(out.h) };
    await this.sessions.lstmStep.run(
      { x: tensor(step.x), h: tensor(step.h), c: tensor(step.c), r: tensor(step.transposedRecurrentKernel) },
      fetches,
    );
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((session) => session.release()));
  }

  /**
   * Runs a product whose output rows follow the rows of `a` in blocks: measured here, products with a large output
   * (tens of MB) run 1.5–2× slower in one call than in blocks of a few hundred rows, whose output stays in cache.
   */
  private async byRowBlocks(a: Matrix, out: Matrix, product: (aRows: Matrix, outRows: Matrix) => Promise<void>): Promise<void> {
    for (let first = 0; first < a.rows; first += rowBlock) {
      const rows = Math.min(rowBlock, a.rows - first);
      const aRows = matrix(a.data.subarray(first * a.cols, (first + rows) * a.cols), rows, a.cols);
      await product(aRows, matrix(out.data.subarray(first * out.cols, (first + rows) * out.cols), rows, out.cols));
    }
  }

  private async run(name: keyof typeof graphs, feeds: Record<string, ort.Tensor>, out: Matrix): Promise<void> {
    await this.sessions[name].run(feeds, { y: tensor(out) });
  }
}

function tensor(m: Matrix): ort.Tensor {
  return new ort.Tensor('float32', m.data, [m.rows, m.cols]);
}

function checkShapes(ok: boolean, product: string, a: Matrix, b: Matrix, out: Matrix): void {
  if (!ok) throw new RangeError(`${product}: shapes ${a.rows}×${a.cols}, ${b.rows}×${b.cols} → ${out.rows}×${out.cols} do not fit`);
}
