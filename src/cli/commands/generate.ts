import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseMidi } from '../../midi/parse-midi.js';
import { writeMidi } from '../../midi/write-midi.js';
import { tokenizerOf } from '../../model/model-tokenizer.js';
import { createSampler } from '../../model/sampler.js';
import { generateLimits } from '../../pipeline/generate-params.js';
import { loadModelFolder } from './model-folder.js';
import { usageError } from './usage-error.js';

/** The model shipped with the repository, used when `--model` is not given. */
export const defaultModelDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../models/default');

const number = z.coerce.number();
const optionsSchema = z
  .object({
    model: z.string().min(1).default(defaultModelDir),
    out: z.string().min(1),
    temperature: number.positive().max(10).default(1),
    topK: number.int().min(0).default(0),
    topP: number.gt(0).max(1).default(0.95),
    maxNoteSeconds: number.min(generateLimits.maxNoteSeconds.min).max(generateLimits.maxNoteSeconds.max).default(generateLimits.maxNoteSeconds.default),
    seed: number.int().min(0).max(2 ** 32 - 1).optional(),
    events: number.int().positive().max(1_000_000).optional(),
    seconds: number.positive().max(3600).optional(),
    primer: z.string().min(1).optional(),
  })
  .refine((options) => options.events === undefined || options.seconds === undefined, { message: 'give --events or --seconds, not both', path: ['events'] });

/** `rubato generate [--model DIR] --out piece.mid …`: samples a new piece from a trained model. */
export function register(program: Command): void {
  program
    .command('generate')
    .description('Sample a new piece from a trained model and write it as MIDI')
    .option('--model <dir>', 'model folder (default: models/default)')
    .requiredOption('--out <file>', 'MIDI file to write')
    .option('--temperature <x>', 'softmax temperature', '1.0')
    .option('--top-k <n>', 'keep the k likeliest events (0 = all)', '0')
    .option('--top-p <p>', 'keep the likeliest events up to this probability mass', '0.95')
    .option('--max-note-seconds <s>', `end a note held this long (${generateLimits.maxNoteSeconds.min}-${generateLimits.maxNoteSeconds.max})`, String(generateLimits.maxNoteSeconds.default))
    .option('--seed <n>', 'random seed: the same seed gives the same piece (default: random, printed)')
    .option('--events <n>', 'length in events (default 1024)')
    .option('--seconds <s>', 'length in seconds of music')
    .option('--primer <file.mid>', 'MIDI to continue')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('generate', parsed.error);
      const options = parsed.data;
      const model = await loadModelFolder('generate', options.model, '; train one with `rubato train` or pass --model DIR');
      const tokenizer = tokenizerOf(model.manifest);
      const primer = options.primer ? tokenizer.encode(parseMidi(new Uint8Array(await readFile(options.primer)))) : new Uint16Array(0);
      const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
      const started = performance.now();
      const events = createSampler(model, tokenizer).generate({
        temperature: options.temperature,
        topK: options.topK,
        topP: options.topP,
        maxNoteSeconds: options.maxNoteSeconds,
        seed,
        primer,
        ...(options.seconds !== undefined ? { maxSeconds: options.seconds } : { maxEvents: options.events ?? 1024 }),
      });
      const piece = new Uint16Array(primer.length + events.length);
      piece.set(primer);
      piece.set(events, primer.length);
      const sequence = tokenizer.decode(piece, { maxNoteSeconds: options.maxNoteSeconds });
      await writeFile(options.out, writeMidi(sequence));
      console.log(
        JSON.stringify({
          out: options.out,
          seed,
          events: events.length,
          primerEvents: primer.length,
          notes: sequence.notes.length,
          msPerEvent: Number(((performance.now() - started) / Math.max(1, events.length)).toFixed(3)),
        }),
      );
    });
}
