import { z } from 'zod';

/** Settings of one training run. Defaults live in `defaultHyperparameters` only; the run echoes and saves them. */
export interface TrainHyperparameters {
  /** Sequences per batch. */
  batchSize: number;
  /** Window length in events (truncated back-propagation length). */
  steps: number;
  /** Peak learning rate after warm-up. */
  learningRate: number;
  warmupSteps: number;
  /** Floor of the cosine decay. */
  minLearningRate: number;
  /** Global gradient-norm clip. */
  clipNorm: number;
  /** Decoupled (AdamW) weight decay on kernels; 0 turns it off. */
  weightDecay: number;
  /**
   * Decay of an exponential moving average of the weights, updated every step (0 turns it off). Validation scores the
   * average and the raw weights and keeps the better. Absent in older runs: off.
   */
  averageDecay?: number;
  /**
   * Dropout rate on the non-recurrent connections (inputs of each LSTM layer and of the output layer) in training
   * steps; validation and sampling use every unit. Absent in older runs: off.
   */
  dropout?: number;
  /** Validate every this many steps (and at the end). */
  validationEvery: number;
  /** Cap on validation events, so validation stays a small share of the budget. */
  validationMaxEvents: number;
  /** Stop after this many validations without a new best. */
  earlyStoppingPatience: number;
  checkpointEveryMinutes: number;
  seed: number;
  /** Stateful streams (each row continues its piece, state carried) instead of random windows from zero state. */
  carryState: boolean;
  augment: {
    /** Random transposition in [-transpose, +transpose] semitones. */
    transpose: number;
    /** Random time stretch in [1 - stretch, 1 + stretch]. */
    stretch: number;
  };
  /** Start the output bias at the log unigram frequencies so the first steps skip the unigram plateau. */
  outputBiasFromUnigram: boolean;
  /**
   * Train density, key, dynamics and style as extra inputs (performance tokens with carried state only; see
   * `src/model/controls`). Absent in older runs: off.
   */
  controls?: boolean;
  /**
   * With controls, also feed which keys sound after each event (`src/model/controls/keyboard-input.ts`). Absent in
   * older runs: off.
   */
  keyboard?: boolean;
}

export const defaultHyperparameters: TrainHyperparameters = {
  batchSize: 64,
  steps: 128,
  learningRate: 3e-3,
  warmupSteps: 100,
  minLearningRate: 3e-4,
  clipNorm: 1,
  weightDecay: 0,
  averageDecay: 0.999,
  dropout: 0,
  validationEvery: 250,
  validationMaxEvents: 50_000,
  earlyStoppingPatience: 6,
  checkpointEveryMinutes: 5,
  seed: 1,
  carryState: true,
  augment: { transpose: 3, stretch: 0 },
  outputBiasFromUnigram: true,
  controls: true,
};

const positiveInt = z.number().int().positive();
/** What a run's settings may be: checks overrides, and a manifest's record of the settings it trained with. */
export const hyperparametersSchema = z.object({
  batchSize: positiveInt,
  steps: positiveInt,
  learningRate: z.number().positive(),
  warmupSteps: z.number().int().nonnegative(),
  minLearningRate: z.number().nonnegative(),
  clipNorm: z.number().positive(),
  weightDecay: z.number().nonnegative(),
  averageDecay: z.number().min(0).lt(1).optional(),
  dropout: z.number().min(0).max(0.9).optional(),
  validationEvery: positiveInt,
  validationMaxEvents: positiveInt,
  earlyStoppingPatience: positiveInt,
  checkpointEveryMinutes: z.number().positive(),
  seed: z.number().int(),
  carryState: z.boolean(),
  augment: z.object({ transpose: z.number().int().min(0).max(12), stretch: z.number().min(0).max(0.5) }),
  outputBiasFromUnigram: z.boolean(),
  controls: z.boolean().optional(),
  keyboard: z.boolean().optional(),
});

export type HyperparameterOverrides = Partial<Omit<TrainHyperparameters, 'augment'>> & {
  augment?: Partial<TrainHyperparameters['augment']>;
};

/** Defaults with `overrides` applied, validated; throws a ZodError naming the bad field. */
export function resolveHyperparameters(overrides: HyperparameterOverrides = {}): TrainHyperparameters {
  const defined = definedOnly(overrides);
  return hyperparametersSchema.parse({
    ...defaultHyperparameters,
    ...defined,
    augment: { ...defaultHyperparameters.augment, ...definedOnly(overrides.augment ?? {}) },
  });
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
