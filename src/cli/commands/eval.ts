import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { DatasetError } from '../../dataset/dataset-error.js';
import { evaluateNgram, fitNgramBaselines } from '../../model/baselines.js';
import { evaluateModel } from '../../model/evaluate.js';
import { tokenizerOf } from '../../model/model-tokenizer.js';
import { splitTrainValidation } from '../../model/training-data.js';
import { evaluateMusic } from '../../pipeline/evaluate-music.js';
import { continuationWindowPlacement, evaluateContinuation } from '../../pipeline/evaluate-continuation.js';
import { followingRecipe, plainRecipe } from '../../pipeline/continuation-plan.js';
import { formatContinuationTable } from '../../music/continuation-table.js';
import type { MusicReport } from '../../music/music-report.js';
import { formatMusicTable } from '../../music/music-table.js';
import { defaultDecoding, generateLimits } from '../../pipeline/generate-params.js';
import type { ModelManifest } from '../../model/manifest.js';
import { resolveDecoding } from '../../model/sampling-defaults.js';
import { baselineFiles } from './baseline-files.js';
import { loadModelFolder } from './model-folder.js';
import { loadTokenFolder } from './token-folder.js';
import { usageError } from './usage-error.js';

const number = z.coerce.number();
const optionsSchema = z.object({
  model: z.string().min(1),
  data: z.string().min(1),
  split: z.enum(['validation', 'all']).default('validation'),
  engine: z.enum(['auto', 'fast', 'tfjs-node', 'tfjs']).default('auto'),
  baselineData: z.string().min(1).optional(),
  music: z.boolean().default(false),
  pieces: number.int().min(2).max(1000).default(48),
  musicSeconds: number.min(1).max(generateLimits.seconds.max).default(30),
  grammar: z.boolean().default(true),
  maxNoteSeconds: number.min(generateLimits.maxNoteSeconds.min).max(generateLimits.maxNoteSeconds.max).default(generateLimits.maxNoteSeconds.default),
  maxPolyphony: number.int().min(1).max(128).optional(),
  temperature: number.min(generateLimits.temperature.min).max(generateLimits.temperature.max).optional(),
  topP: number.gt(0).max(generateLimits.topP.max).optional(),
  musicOut: z.string().min(1).optional(),
  continuation: z.boolean().default(false),
  windows: number.int().min(2).max(1000).default(60),
  primerSeconds: number.min(1).max(60).default(8),
  continuationSeconds: number.min(1).max(generateLimits.seconds.max).default(20),
  continuationOut: z.string().min(1).optional(),
  seeds: number.int().min(1).max(20).default(1),
});

/**
 * `rubato eval --model DIR --data DIR [--split validation|all] [--music] [--continuation]`: NLL next to n-gram
 * baselines, the music, and how continuations follow their primers.
 */
export function register(program: Command): void {
  program
    .command('eval')
    .description('Score a model on tokenized data and print JSON with n-gram baselines fit on training data; --music adds the musicality report, --continuation the continuation report')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--data <dir>', 'preprocess output folder holding tokens/')
    .option('--split <name>', 'validation (files the trainer held out) | all', 'validation')
    .option('--engine <name>', 'auto | fast | tfjs-node | tfjs', 'auto')
    .option('--baseline-data <dir>', 'preprocess output folder to fit the n-gram baselines on (default: the model\'s training files)')
    .option('--music', 'also sample pieces and compare them with excerpts of held-out and training performances')
    .option('--pieces <n>', 'music: pieces sampled (seeds 1..n) and excerpts per real set', '48')
    .option('--music-seconds <s>', 'music: length of every piece and excerpt', '30')
    .option('--no-grammar', 'music: sample the model raw (no event grammar, no note cap), to see what the grammar changes')
    .option('--max-note-seconds <s>', 'music: end a note held this long', String(generateLimits.maxNoteSeconds.default))
    .option('--max-polyphony <n>', 'music: draw no new pitch while this many notes sound')
    .option('--temperature <x>', "softmax temperature (default: the model's own, as a request that names none gets it)")
    .option('--top-p <p>', "nucleus sampling mass (default: the model's own; for continuations its withPrimer one)")
    .option('--music-out <file>', 'music: write the full report (every piece\'s features) as JSON, for `rubato plot music`')
    .option('--continuation', 'also continue primers cut from held-out performances and compare with what the pianist played next')
    .option('--windows <n>', 'continuation: primers cut (a third of the way into each performance, at most 30 s in)', '60')
    .option('--primer-seconds <s>', 'continuation: length of each primer', '8')
    .option('--continuation-seconds <s>', 'continuation: length of each continuation and of the truth it is compared with', '20')
    .option('--continuation-out <file>', 'continuation: write the report as JSON, for `rubato plot continuation`')
    .option('--seeds <n>', 'continuation: pieces drawn per window and set, each on its own seed (more: steadier medians)', '1')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('eval', parsed.error);
      const options = parsed.data;
      const model = await loadModelFolder('eval', options.model);
      const data = await loadTokenFolder(options.data).catch((error: unknown) =>
        error instanceof DatasetError ? usageError('eval', `--data ${options.data}: ${error.message}`) : Promise.reject(error),
      );
      if (data.dataset.tokenizer.name !== model.manifest.tokenizer.name) {
        usageError('eval', `the model uses tokenizer ${model.manifest.tokenizer.name} but ${options.data} holds ${data.dataset.tokenizer.name} tokens`);
      }
      const { train, validation, validationHeldOut } = splitTrainValidation(data.dataset, data.split);
      const sequences = options.split === 'all' && validationHeldOut ? [...train, ...validation] : validation;
      const scoredFiles = new Set(sequences);
      const scored = new Set(data.dataset.entries.filter((entry) => scoredFiles.has(entry.tokens)).map((entry) => entry.meta.digest));
      const scores = await evaluateModel(model, sequences, { engine: options.engine, steps: model.manifest.hyperparameters.steps });
      const fit = await baselineFiles({ modelFolder: options.model, dataFolder: options.data, data, scored, ...(options.baselineData ? { baselineData: options.baselineData } : {}) });
      const ngrams = fitNgramBaselines(fit.files, model.shape.vocabSize);
      const baselines = {
        unigram: evaluateNgram(ngrams.unigram, sequences).nllNatsPerEvent,
        bigram: evaluateNgram(ngrams.bigram, sequences).nllNatsPerEvent,
        trigram: evaluateNgram(ngrams.trigram, sequences).nllNatsPerEvent,
        fitOn: fit.fitOn,
        fitEvents: fit.files.reduce((sum, tokens) => sum + tokens.length, 0),
      };
      const music = options.music ? await musicSection(options, model, validation, train) : undefined;
      const continuation = options.continuation ? await continuationSection(options, model, validation) : undefined;
      console.log(JSON.stringify({ split: options.split, ...scores, baselines, ...(music ? { music } : {}), ...(continuation ? { continuation } : {}) }, null, 2));
    });
}

type Options = z.infer<typeof optionsSchema>;

/** What a request naming only `--temperature` / `--top-p` would be sampled with: the model's own defaults fill the rest. */
function decodingOf(options: Options, manifest: ModelManifest, withPrimer: boolean) {
  const given = { ...(options.temperature !== undefined ? { temperature: options.temperature } : {}), ...(options.topP !== undefined ? { topP: options.topP } : {}) };
  return resolveDecoding(given, manifest.sampling, withPrimer, defaultDecoding);
}

/** The music report: its table on stderr for people, a summary in the JSON, the whole of it in --music-out. */
async function musicSection(options: Options, model: Awaited<ReturnType<typeof loadModelFolder>>, heldOut: Uint16Array[], reference: Uint16Array[]) {
  const report: MusicReport = evaluateMusic(model, tokenizerOf(model.manifest), { heldOut, reference }, {
    pieces: options.pieces,
    seconds: options.musicSeconds,
    ...decodingOf(options, model.manifest, false),
    grammar: options.grammar,
    maxNoteSeconds: options.maxNoteSeconds,
    ...(options.maxPolyphony !== undefined ? { maxPolyphony: options.maxPolyphony } : {}),
  });
  console.error(formatMusicTable(report));
  if (options.musicOut) await writeFile(options.musicOut, JSON.stringify(report, null, 1));
  const { values: _values, ...summary } = report;
  return { grammar: options.grammar, maxNoteSeconds: options.grammar ? options.maxNoteSeconds : null, maxPolyphony: options.maxPolyphony ?? null, ...summary };
}

/** The continuation report: its table on stderr, the report in the JSON and in --continuation-out. */
async function continuationSection(options: Options, model: Awaited<ReturnType<typeof loadModelFolder>>, heldOut: Uint16Array[]) {
  const tokenizer = tokenizerOf(model.manifest);
  const report = evaluateContinuation(model, tokenizer, heldOut.map((ids) => tokenizer.decode(ids)), {
    windows: options.windows,
    primerSeconds: options.primerSeconds,
    continuationSeconds: options.continuationSeconds,
    ...continuationWindowPlacement,
    free: decodingOf(options, model.manifest, false),
    continuing: decodingOf(options, model.manifest, true),
    seeds: options.seeds,
    maxNoteSeconds: options.maxNoteSeconds,
    recipes: { followPrimerOff: plainRecipe, followPrimer: followingRecipe },
  });
  console.error(formatContinuationTable(report));
  if (options.continuationOut) await writeFile(options.continuationOut, JSON.stringify(report, null, 1));
  return report;
}
