import { z } from 'zod';
import type { WindowCursor } from '../dataset/windows.js';
import type { CheckpointFit, CheckpointState, CheckpointTensors } from './checkpoint.js';
import { parameterCount } from './config.js';
import { trainingEventKinds, type TrainingEvent } from './manifest.js';

/**
 * The checkpoint format written now. Version 1 (the run's training events and last train loss in a free-form `extra`)
 * is still read, so a run checkpointed by an older deploy resumes on a newer one.
 */
const checkpointSchemaVersion = 2;
const readableVersions = [1, checkpointSchemaVersion] as const;

/** A checkpoint that cannot be read, or that was written for a run of another shape. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

const count = z.number().int().nonnegative();

const windowCursorSchema: z.ZodType<WindowCursor> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random'), step: count }),
  z.object({ kind: z.literal('streams'), epoch: count, window: count }),
]);

const trainingEventSchema: z.ZodType<TrainingEvent> = z.object({
  step: count,
  at: z.string(),
  kind: z.enum(trainingEventKinds),
  detail: z.string().optional(),
});

/** JSON has no NaN: a train loss not measured yet is written as null. */
const lossSchema = z.number().nullable();

const progressFields = {
  step: count,
  adamT: count,
  dataCursor: windowCursorSchema.optional(),
  elapsedSeconds: z.number().nonnegative(),
  events: count,
  best: z.object({ nll: z.number(), accuracy: z.number(), step: count }).optional(),
  validationsSinceBest: count,
};

const stateV2Schema = z.object({
  schemaVersion: z.literal(2),
  ...progressFields,
  trainingEvents: z.array(trainingEventSchema),
  lastTrainLoss: lossSchema,
});

const stateV1Schema = z.object({
  ...progressFields,
  extra: z.object({ trainingEvents: z.array(trainingEventSchema).optional(), lastTrainLoss: lossSchema.optional() }),
});

const pointerSchema = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  step: count,
  folder: z.string().regex(/^step-\d+-\d+\/$/),
  tensors: z.array(z.object({ name: z.string(), length: count })),
  writtenAt: z.string(),
});

/** `latest.json` of a checkpoint prefix: which folder holds the newest complete checkpoint, and its tensors' layout. */
export type CheckpointPointer = z.infer<typeof pointerSchema>;

type TensorIndex = CheckpointPointer['tensors'];

/** The pointer that names `folder`, for tensors packed as `index` says. */
export function encodePointer(step: number, folder: string, index: TensorIndex): CheckpointPointer {
  return { schemaVersion: checkpointSchemaVersion, step, folder, tensors: index, writtenAt: new Date().toISOString() };
}

/** The pointer at `key`, checked: an unknown version or a malformed pointer throws {@link CheckpointError}. */
export function decodePointer(bytes: Uint8Array, key: string): CheckpointPointer {
  const json = parseJson(bytes, key);
  const version = z.object({ schemaVersion: z.unknown() }).safeParse(json).data?.schemaVersion;
  if (!readableVersions.some((readable) => readable === version)) {
    const found = version === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(version)}`;
    throw new CheckpointError(
      `${key} has ${found}; this rubato reads checkpoint versions ${readableVersions.join(' and ')}. ` +
        'Resume with the rubato that wrote it, or start the run over (without --resume)',
    );
  }
  return parse(pointerSchema, json, key);
}

/** The state as `state.json` holds it (NaN losses become null on the way). */
export function encodeState(state: CheckpointState): z.input<typeof stateV2Schema> {
  return { schemaVersion: checkpointSchemaVersion, ...state };
}

/** The typed state from `state.json` of a checkpoint of `version` (the pointer's). */
export function decodeState(bytes: Uint8Array, version: CheckpointPointer['schemaVersion'], key: string): CheckpointState {
  const json = parseJson(bytes, key);
  if (version === 1) {
    const { extra, ...progress } = parse(stateV1Schema, json, key);
    return {
      ...progress,
      dataCursor: progress.dataCursor,
      best: progress.best,
      trainingEvents: extra.trainingEvents ?? [],
      lastTrainLoss: extra.lastTrainLoss ?? NaN,
    };
  }
  const { schemaVersion: _, lastTrainLoss, ...progress } = parse(stateV2Schema, json, key);
  return { ...progress, dataCursor: progress.dataCursor, best: progress.best, lastTrainLoss: lastTrainLoss ?? NaN };
}

/** All tensors in one float32 vector, with the index that names each run of it. */
export function packTensors(tensors: CheckpointTensors): { packed: Float32Array; index: TensorIndex } {
  const named = namedTensors(tensors);
  const packed = new Float32Array(named.reduce((sum, [, values]) => sum + values.length, 0));
  let offset = 0;
  for (const [, values] of named) {
    packed.set(values, offset);
    offset += values.length;
  }
  return { packed, index: named.map(([name, values]) => ({ name, length: values.length })) };
}

/** The tensors of `tensors.bin` in checkpoint folder `where`, laid out as `index` says. */
export function unpackTensors(bytes: Uint8Array, index: TensorIndex, where: string): CheckpointTensors {
  const expected = index.reduce((sum, tensor) => sum + tensor.length, 0);
  if (bytes.length !== expected * Float32Array.BYTES_PER_ELEMENT) {
    throw new CheckpointError(`checkpoint ${where}: tensors.bin holds ${bytes.length} bytes, expected ${expected} float32 values`);
  }
  const packed = new Float32Array(bytes.slice().buffer);
  const named = new Map<string, Float32Array>();
  let offset = 0;
  for (const { name, length } of index) {
    named.set(name, packed.slice(offset, offset + length));
    offset += length;
  }
  return typedTensors(named, where);
}

/**
 * Refuses tensors sized for another run: parameters, Adam moments and best parameters must have the shape's parameter
 * count, and carried LSTM state one `batchSize × units` vector per layer.
 */
export function checkFit(tensors: CheckpointTensors, fit: CheckpointFit, where: string): void {
  const { shape, batchSize } = fit;
  const size = parameterCount(shape);
  const vectors = {
    parameters: tensors.parameters,
    bestParameters: tensors.bestParameters,
    adamM: tensors.adamM,
    adamV: tensors.adamV,
    averageParameters: tensors.averageParameters,
  };
  for (const [name, values] of Object.entries(vectors)) {
    if (values !== undefined && values.length !== size) {
      throw new CheckpointError(
        `checkpoint ${where} was written for another model shape: its ${name} holds ${values.length} values, but this run's ` +
          `shape ${JSON.stringify(shape)} has ${size} parameters. Resume with the --units, --layers, --embedding and ` +
          'controls it was trained with, or start the run over (without --resume)',
      );
    }
  }
  const carried = tensors.carried;
  if (carried === undefined) return;
  if (carried.h.length !== shape.layers) {
    throw new CheckpointError(`checkpoint ${where} carries LSTM state for ${carried.h.length} layers, but this run has ${shape.layers} (--layers)`);
  }
  const perLayer = batchSize * shape.units;
  [...carried.h, ...carried.c].forEach((values, index) => {
    if (values.length !== perLayer) {
      throw new CheckpointError(
        `checkpoint ${where}: the carried LSTM state of layer ${index % shape.layers} holds ${values.length} values, but ` +
          `this run's batch size ${batchSize} × ${shape.units} units needs ${perLayer}. Resume with the --batch and --units it ` +
          'was trained with, or start the run over (without --resume)',
      );
    }
  });
}

/** The on-disk names, in the order they are packed: parameters, best parameters, Adam moments, weight average, carried state. */
function namedTensors(tensors: CheckpointTensors): Array<[string, Float32Array]> {
  const named: Array<[string, Float32Array]> = [['parameters', tensors.parameters]];
  if (tensors.bestParameters) named.push(['bestParameters', tensors.bestParameters]);
  named.push(['adamM', tensors.adamM], ['adamV', tensors.adamV]);
  if (tensors.averageParameters) named.push(['averageParameters', tensors.averageParameters]);
  const carried = tensors.carried;
  carried?.h.forEach((h, layer) => named.push([`carriedH${layer}`, h], [`carriedC${layer}`, carried.c[layer]!]));
  return named;
}

function typedTensors(named: Map<string, Float32Array>, where: string): CheckpointTensors {
  const take = (name: string): Float32Array | undefined => {
    const values = named.get(name);
    named.delete(name);
    return values;
  };
  const required = (name: string): Float32Array => {
    const values = take(name);
    if (values === undefined) throw new CheckpointError(`checkpoint ${where} has no ${name} tensor`);
    return values;
  };
  const parameters = required('parameters');
  const bestParameters = take('bestParameters');
  const adamM = required('adamM');
  const adamV = required('adamV');
  const averageParameters = take('averageParameters');
  const h: Float32Array[] = [];
  const c: Float32Array[] = [];
  for (let layer = 0; named.has(`carriedH${layer}`); layer++) {
    h.push(required(`carriedH${layer}`));
    c.push(required(`carriedC${layer}`));
  }
  if (named.size > 0) throw new CheckpointError(`checkpoint ${where} has tensors no run writes: ${[...named.keys()].join(', ')}`);
  return {
    parameters,
    ...(bestParameters ? { bestParameters } : {}),
    adamM,
    adamV,
    ...(averageParameters ? { averageParameters } : {}),
    ...(h.length > 0 ? { carried: { h, c } } : {}),
  };
}

function parseJson(bytes: Uint8Array, key: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new CheckpointError(`${key} is not JSON (${error instanceof Error ? error.message : String(error)}); the checkpoint is damaged`);
  }
}

function parse<T>(schema: z.ZodType<T>, json: unknown, key: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new CheckpointError(`${key} is not a valid checkpoint: ${issue.path.join('.') || 'the document'}: ${issue.message}`);
}
