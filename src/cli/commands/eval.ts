import type { Command } from 'commander';
import { z } from 'zod';
import { evaluateNgram, fitNgramBaselines } from '../../model/baselines.js';
import { evaluateModel } from '../../model/evaluate.js';
import { splitTrainValidation } from '../../model/training-data.js';
import { DatasetError } from '../../dataset/dataset-error.js';
import { loadModelFolder } from './model-folder.js';
import { loadTokenFolder } from './token-folder.js';
import { usageError } from './usage-error.js';

const optionsSchema = z.object({
  model: z.string().min(1),
  data: z.string().min(1),
  split: z.enum(['validation', 'all']).default('validation'),
  engine: z.enum(['auto', 'fast', 'tfjs-node', 'tfjs']).default('auto'),
});

/** `rubato eval --model DIR --data DIR [--split validation|all]`: NLL, perplexity and accuracy next to n-gram baselines. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('Score a model on tokenized data and print JSON with n-gram baselines on the same events')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--data <dir>', 'preprocess output folder holding tokens/')
    .option('--split <name>', 'validation (files the trainer held out) | all', 'validation')
    .option('--engine <name>', 'auto | fast | tfjs-node | tfjs', 'auto')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('eval', parsed.error);
      const options = parsed.data;
      const model = await loadModelFolder('eval', options.model);
      const { dataset, split } = await loadTokenFolder(options.data).catch((error: unknown) =>
        error instanceof DatasetError ? usageError('eval', `--data ${options.data}: ${error.message}`) : Promise.reject(error),
      );
      if (dataset.tokenizer.name !== model.manifest.tokenizer.name) {
        usageError('eval', `the model uses tokenizer ${model.manifest.tokenizer.name} but ${options.data} holds ${dataset.tokenizer.name} tokens`);
      }
      const { train, validation, validationHeldOut } = splitTrainValidation(dataset, split);
      const sequences = options.split === 'all' && validationHeldOut ? [...train, ...validation] : validation;
      const scores = await evaluateModel(model, sequences, { engine: options.engine, steps: model.manifest.hyperparameters.steps });
      // Baselines are always fitted on the training split, so on --split all they have seen part of the events.
      const ngrams = fitNgramBaselines(train, model.shape.vocabSize);
      const baselines = {
        unigram: evaluateNgram(ngrams.unigram, sequences).nllNatsPerEvent,
        bigram: evaluateNgram(ngrams.bigram, sequences).nllNatsPerEvent,
        trigram: evaluateNgram(ngrams.trigram, sequences).nllNatsPerEvent,
      };
      console.log(JSON.stringify({ split: options.split, ...scores, baselines }, null, 2));
    });
}
