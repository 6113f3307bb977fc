import type { TokenizerName } from '../tokens/tokenizer.js';
import type { ModelShape } from './config.js';
import type { ControlSpec } from './controls/control-spec.js';
import type { EngineName } from './engine/engine.js';
import type { TrainHyperparameters } from './hyperparameters.js';
import type { SamplingDefaults } from './sampling-defaults.js';

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
