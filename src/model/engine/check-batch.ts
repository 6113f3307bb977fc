import type { ModelShape } from '../config.js';
import type { Batch } from './engine.js';

/** Thrown when a batch does not fit the model: wrong lengths, token ids out of the vocabulary, wrong state size. */
export class BatchShapeError extends RangeError {
  override readonly name = 'BatchShapeError';
}

/** Checks a batch against the model shape before any engine reads it. */
export function checkBatch(shape: ModelShape, batch: Batch): void {
  const { batchSize, steps, inputs, targets, initialState } = batch;
  const rows = batchSize * steps;
  if (!(Number.isInteger(batchSize) && batchSize > 0 && Number.isInteger(steps) && steps > 0))
    throw new BatchShapeError(`batchSize and steps must be positive integers, got ${batchSize} × ${steps}`);
  if (inputs.length !== rows || targets.length !== rows)
    throw new BatchShapeError(`a ${batchSize} × ${steps} batch needs ${rows} inputs and targets, got ${inputs.length} and ${targets.length}`);
  for (const ids of [inputs, targets])
    for (let i = 0; i < rows; i++)
      if (!(ids[i]! >= 0 && ids[i]! < shape.vocabSize))
        throw new BatchShapeError(`token id ${ids[i]} at position ${i} is outside the vocabulary of ${shape.vocabSize}`);
  const controlSize = shape.controlSize ?? 0;
  if (batch.controls && batch.controls.length !== rows * controlSize)
    throw new BatchShapeError(`controls need ${rows * controlSize} floats (batch × steps × ${controlSize}), got ${batch.controls.length}`);
  if (batch.dropout && !(batch.dropout.rate >= 0 && batch.dropout.rate < 1))
    throw new BatchShapeError(`dropout rate must be in [0, 1), got ${batch.dropout.rate}`);
  if (initialState) {
    const size = batchSize * shape.units;
    const parts = [...initialState.h, ...initialState.c];
    if (initialState.h.length !== shape.layers || initialState.c.length !== shape.layers || parts.some((part) => part.length !== size))
      throw new BatchShapeError(`initialState needs ${shape.layers} h and c arrays of ${size} floats (batch × units)`);
  }
}
