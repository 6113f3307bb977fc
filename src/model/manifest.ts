import { z } from 'zod';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { ModelShape } from './config.js';
import type { ControlSpec } from './controls/control-spec.js';
import type { EngineName } from './engine/engine.js';
import { hyperparametersSchema, type TrainHyperparameters } from './hyperparameters.js';
import { samplingDefaultsSchema, type SamplingDefaults } from './sampling-defaults.js';

/** Scores of a model (or baseline) on one set of events. */
export interface EvaluationScores {
  nllNatsPerEvent: number;
  perplexity: number;
  accuracy: number;
  events: number;
}

export interface ModelMetrics {
  /** Best validation NLL reached, nats per event: the parameters saved are the ones that reached it. */
  validationNll: number;
  validationAccuracy: number;
  perplexity: number;
  /** Mean training loss over the last window of steps. */
  trainLoss: number;
  /** NLL of count-based models fitted on the training split, on the same validation events. */
  baselines: { unigram: number; bigram: number; trigram: number };
  /** False when the dataset was too small to hold files out and validation ran on training files (absent: older runs, held out). */
  validationHeldOut?: boolean;
  /** `rubato eval --music` summary, when it was run for the model card: mean feature overlap with held-out playing. */
  musicality?: {
    /** Generated pieces vs held-out excerpts, mean overlapped area of the nine features. */
    overlap: number;
    /** Training excerpts vs the same held-out excerpts: what real playing scores. */
    reference: number;
    /** Share of generated notes held over 5 s. */
    longNoteShare: number;
    pieces: number;
  };
}

/** What a {@link TrainingEvent} records. */
export const trainingEventKinds = ['start', 'resume', 'checkpoint', 'best', 'early-stop', 'budget', 'max-steps', 'signal'] as const;

/** Something that happened during the run worth keeping with the model (resume, early stop, signal…). */
export interface TrainingEvent {
  step: number;
  at: string; // ISO time
  kind: (typeof trainingEventKinds)[number];
  detail?: string;
}

/**
 * `manifest.json` beside `model.json`: everything needed to use the weights with the right vocabulary, and to tell
 * how they were made.
 */
export interface ModelManifest {
  schemaVersion: 1;
  tokenizer: { name: TokenizerName; vocabSize: number; vocabulary?: unknown };
  shape: ModelShape;
  /** What the control inputs mean (models trained with controls; `shape.controlSize` floats). */
  controls?: ControlSpec;
  /** The dense layer emits logits (linear activation); apply softmax (with a temperature) to sample. */
  outputs: 'logits';
  weightsDtype: 'float32' | 'float16';
  hyperparameters: TrainHyperparameters;
  dataDigest: string;
  /** Lifecycle, added when the run is published (absent: models published before it existed). */
  data?: { files: number; events: number };
  /** The run id this model was fine-tuned from; null when trained from scratch. */
  startedFrom?: string | null;
  /** Whether publishing made it `latest`, and why, as a sentence for users. */
  promotion?: { promoted: boolean; reason: string };
  /** The rubato version it shipped with (`models/default`, `models/large`); absent for a trained run. */
  shippedWith?: string;
  /** The decoding it plays best with, which a request that leaves a field out gets (absent: rubato's defaults). */
  sampling?: SamplingDefaults;
  metrics: ModelMetrics;
  engine: EngineName;
  trainingSeconds: number;
  steps: number;
  /** Training events consumed (steps × batch × window). */
  events: number;
  trainingEvents: TrainingEvent[];
  createdAt: string;
}

export const manifestSchemaVersion = 1;

/** A measurement: JSON writes NaN and ±Infinity (a run of no steps has no mean loss) as null, read back as NaN. */
const measured = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

const controlSpecSchema = z.object({
  schemaVersion: z.literal(1),
  windowSeconds: z.number().positive(),
  densityEdges: z.array(z.number()),
  dynamicsEdges: z.array(z.number()),
  styles: z.array(z.string()),
  keyProfiles: z.object({ major: z.array(z.number()).length(12), minor: z.array(z.number()).length(12) }),
  densityResponse: z.array(z.number()).optional(),
  dropout: z.object({ all: z.number().min(0).max(1), each: z.number().min(0).max(1) }),
  keyboard: z.object({ ageSeconds: z.number().positive() }).optional(),
});

const scoresSchema = z.object({ unigram: measured, bigram: measured, trigram: measured });

const metricsSchema = z.object({
  validationNll: measured,
  validationAccuracy: measured,
  perplexity: measured,
  trainLoss: measured,
  baselines: scoresSchema,
  validationHeldOut: z.boolean().optional(),
  musicality: z.object({ overlap: measured, reference: measured, longNoteShare: measured, pieces: count }).optional(),
});

/**
 * `manifest.json` as read back: every field a reader relies on is checked, so a damaged manifest is refused here with
 * the field named instead of failing later in `GET /models` or the sampler. Unknown fields are kept (loose), so a
 * manifest written by a newer version survives being read and written again.
 */
export const modelManifestSchema: z.ZodType<ModelManifest> = z.looseObject({
  schemaVersion: z.literal(manifestSchemaVersion),
  tokenizer: z.object({ name: z.enum(['performance', 'notes-chords']), vocabSize: positiveInt, vocabulary: z.unknown().optional() }),
  shape: z.object({ vocabSize: positiveInt, embeddingSize: positiveInt, units: positiveInt, layers: positiveInt, controlSize: positiveInt.optional() }),
  controls: controlSpecSchema.optional(),
  outputs: z.literal('logits'),
  weightsDtype: z.enum(['float32', 'float16']),
  hyperparameters: hyperparametersSchema,
  dataDigest: z.string(),
  data: z.object({ files: count, events: count }).optional(),
  startedFrom: z.string().nullable().optional(),
  promotion: z.object({ promoted: z.boolean(), reason: z.string() }).optional(),
  shippedWith: z.string().optional(),
  sampling: samplingDefaultsSchema.optional(),
  metrics: metricsSchema,
  engine: z.enum(['tfjs-node', 'fast', 'tfjs']),
  trainingSeconds: measured,
  steps: count,
  events: count,
  trainingEvents: z.array(z.object({ step: count, at: z.string(), kind: z.enum(trainingEventKinds), detail: z.string().optional() })),
  createdAt: z.string(),
});
