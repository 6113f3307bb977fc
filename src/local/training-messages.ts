import { z } from 'zod';
import type { ModelShape } from '../model/config.js';
import type { HyperparameterOverrides } from '../model/hyperparameters.js';
import type { MessagePort } from 'node:worker_threads';
import type { TrainRunEvent } from '../pipeline/train-dataset.js';
import type { TrainerRun } from '../pipeline/train-run.js';

/** Model shape and hyperparameter overrides for local runs (tests use a tiny network so a run takes seconds). */
export interface TrainOverrides {
  shape?: Partial<Pick<ModelShape, 'embeddingSize' | 'units' | 'layers'>>;
  hyperparameters?: HyperparameterOverrides;
}

/** What the training worker is started with. */
export interface TrainingWorkerSetup {
  /** Root of the filesystem bucket; the worker opens its own FsStore on it. */
  bucketDir: string;
  /** The server's queue, served over this port (a transferred MessagePort). */
  queuePort: MessagePort;
  /** Budget of a run whose requests name none (the requests the page sends always do). */
  minutes: number;
  overrides: TrainOverrides;
}

/** Worker → server. `run` comes first once the data and settings have named the run; `finished` when the trainer exits. */
export type TrainingWorkerMessage =
  | { kind: 'run'; runId: string }
  | { kind: 'log'; line: string }
  | { kind: 'progress'; event: TrainRunEvent }
  | { kind: 'finished'; run: TrainerRun | undefined }
  | { kind: 'failed'; message: string };

/** Server → worker: finish the current step, checkpoint and stop. */
export const stopMessage = 'stop';

const positiveInt = z.number().int().positive().max(4096);

/** Validates overrides given as JSON (the serve command's RUBATO_TRAIN_OVERRIDES). */
export const trainOverridesSchema = z.strictObject({
  shape: z.strictObject({ embeddingSize: positiveInt, units: positiveInt, layers: positiveInt }).partial().optional(),
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
}) as z.ZodType<TrainOverrides>;
