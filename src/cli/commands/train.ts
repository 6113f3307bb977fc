import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { defaultModelShape } from '../../model/config.js';
import { resolveHyperparameters } from '../../model/hyperparameters.js';
import type { Baselines } from '../../model/progress-log.js';
import { trainModel, type TrainProgressEvent } from '../../model/trainer.js';
import { FsStore } from '../../store/fs-store.js';
import { DatasetError } from '../../dataset/dataset-error.js';
import { onStopSignal } from '../stop-on-signals.js';
import { requireOutputFolder } from './output-folder.js';
import { loadTokenFolder } from './token-folder.js';
import { usageError } from './usage-error.js';

const number = z.coerce.number();
const optionsSchema = z.object({
  data: z.string().min(1),
  out: z.string().min(1),
  minutes: number.positive().default(32),
  maxSteps: number.int().positive().optional(),
  engine: z.enum(['auto', 'fast', 'tfjs-node', 'tfjs']).default('auto'),
  threads: number.int().positive().optional(),
  units: number.int().positive().default(defaultModelShape.units),
  layers: number.int().min(1).max(4).default(defaultModelShape.layers),
  embedding: number.int().positive().default(defaultModelShape.embeddingSize),
  batch: number.int().positive().optional(),
  steps: number.int().positive().optional(),
  lr: number.positive().optional(),
  minLr: number.nonnegative().optional(),
  warmup: number.int().nonnegative().optional(),
  clip: number.positive().optional(),
  average: number.min(0).lt(1).optional(),
  dropout: number.min(0).max(0.9).optional(),
  validationEvery: number.int().positive().optional(),
  checkpointMinutes: number.positive().optional(),
  transpose: number.int().min(0).max(12).optional(),
  stretch: number.min(0).max(0.5).optional(),
  carryState: z.boolean().default(true),
  unigramBias: z.boolean().default(true),
  controls: z.boolean().default(true),
  keyboard: z.boolean().default(false),
  seed: number.int().optional(),
  float16: z.boolean().default(false),
  resume: z.boolean().default(false),
});

/** `rubato train --data DIR --out MODEL_DIR …`: trains the LSTM on a preprocess output folder (`DIR/tokens/`). */
export function register(program: Command): void {
  program
    .command('train')
    .description('Train the LSTM on tokenized MIDI (a preprocess output folder with tokens/) and save the model')
    .requiredOption('--data <dir>', 'folder holding tokens/<digest>.tokens + .json')
    .requiredOption('--out <dir>', 'model folder to write (model.json, weights, manifest.json, progress.jsonl)')
    .option('--minutes <n>', 'wall-clock budget, validation included', '32')
    .option('--max-steps <n>', 'stop after this many steps')
    .option('--engine <name>', 'auto | fast | tfjs-node | tfjs', 'auto')
    .option('--threads <n>', 'most worker threads for the fast engine (default: every core, at least 16 sequences each)')
    .option('--units <n>', 'LSTM units per layer')
    .option('--layers <n>', 'LSTM layers')
    .option('--embedding <n>', 'embedding size')
    .option('--batch <n>', 'sequences per batch')
    .option('--steps <n>', 'window length in events')
    .option('--lr <x>', 'peak learning rate')
    .option('--min-lr <x>', 'learning-rate floor of the cosine decay')
    .option('--warmup <n>', 'warm-up steps')
    .option('--clip <x>', 'global gradient-norm clip')
    .option('--dropout <rate>', 'dropout on the inputs of each LSTM layer and of the output layer, e.g. 0.1 (0 = off)')
    .option('--average <decay>', 'keep a moving average of the weights with this decay, e.g. 0.999 (0 = off)')
    .option('--validation-every <n>', 'steps between validations')
    .option('--checkpoint-minutes <x>', 'minutes between checkpoints')
    .option('--transpose <n>', 'random transposition range in semitones (0 = off)')
    .option('--stretch <x>', 'random time-stretch range as a fraction, e.g. 0.05 (0 = off)')
    .option('--no-carry-state', 'random windows from zero state instead of stateful streams')
    .option('--no-unigram-bias', 'start the output bias at zero instead of the log unigram frequencies')
    .option('--no-controls', 'train without the density, key, dynamics and style inputs')
    .option('--keyboard', 'with controls, also feed the model which keys sound after each event')
    .option('--seed <n>', 'random seed')
    .option('--float16', 'save float16 weights (half the size)')
    .option('--resume', 'continue from the checkpoint in the model folder')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('train', parsed.error);
      const options = parsed.data;
      await requireOutputFolder('train', '--out', options.out);
      const { dataset, split } = await loadTokenFolder(options.data).catch((error: unknown) =>
        error instanceof DatasetError ? usageError('train', `--data ${options.data}: ${error.message}`) : Promise.reject(error),
      );
      const hyperparameters = resolveHyperparameters({
        batchSize: options.batch,
        steps: options.steps,
        learningRate: options.lr,
        minLearningRate: options.minLr,
        warmupSteps: options.warmup,
        clipNorm: options.clip,
        averageDecay: options.average,
        dropout: options.dropout,
        validationEvery: options.validationEvery,
        checkpointEveryMinutes: options.checkpointMinutes,
        seed: options.seed,
        carryState: options.carryState,
        outputBiasFromUnigram: options.unigramBias,
        controls: options.controls,
        keyboard: options.keyboard,
        augment: { transpose: options.transpose, stretch: options.stretch },
      });
      const controller = new AbortController();
      onStopSignal((signal) => {
        console.error(`\n${signal}: finishing the current step, then writing a checkpoint…`);
        controller.abort();
      });
      const display = progressDisplay();
      const summary = await trainModel({
        dataset,
        ...(split ? { split } : {}),
        store: new FsStore(options.out),
        prefix: '',
        shape: { vocabSize: dataset.tokenizer.vocabSize, embeddingSize: options.embedding, units: options.units, layers: options.layers },
        hyperparameters,
        minutes: options.minutes,
        ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
        engine: options.engine,
        threads: options.threads,
        weightsDtype: options.float16 ? 'float16' : 'float32',
        resume: options.resume,
        signal: controller.signal,
        onProgress: display.update,
        log: display.log,
      });
      display.stop();
      console.log(JSON.stringify({ stoppedBy: summary.stoppedBy, steps: summary.steps, elapsedSeconds: Math.round(summary.elapsedSeconds), metrics: summary.manifest?.metrics }, null, 2));
    });
}

/** A cli-progress bar with loss, events/s and ETA on a TTY; plain lines otherwise. The baselines event is a line of its own. */
function progressDisplay(): { update(event: TrainProgressEvent): void; log(line: string): void; stop(): void } {
  const baselinesLine = (baselines: Baselines) => `validation baselines (nats/event): ${JSON.stringify(baselines)}`;
  if (!process.stderr.isTTY) {
    return {
      update: (event) => {
        if (event.kind === 'baselines') console.log(baselinesLine(event.baselines));
        if (event.kind === 'step' && event.step % 100 === 0) {
          console.log(`step ${event.step}/${event.plannedSteps} loss ${event.trainLoss.toFixed(4)} ${Math.round(event.eventsPerSecond)} events/s ${Math.round(event.elapsedSeconds)}/${event.budgetSeconds} s`);
        }
      },
      log: (line) => console.log(line),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'train |{bar}| {percentage}% | step {step} | loss {loss} | {speed} events/s | ETA {eta_formatted}', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  // The bar draws on stderr; log lines go to stdout, starting on a fresh line.
  const log = (line: string) => console.log(started ? `\n${line}` : line);
  return {
    update: (event) => {
      if (event.kind === 'baselines') log(baselinesLine(event.baselines));
      if (event.kind !== 'step') return;
      const payload = { step: event.step, loss: event.trainLoss.toFixed(4), speed: Math.round(event.eventsPerSecond) };
      if (!started) {
        bar.start(Math.round(event.budgetSeconds), 0, payload);
        started = true;
      }
      bar.update(Math.min(Math.round(event.elapsedSeconds), Math.round(event.budgetSeconds)), payload);
    },
    log,
    stop: () => bar.stop(),
  };
}
