import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { tokenizerOf } from '../../model/model-tokenizer.js';
import { createSampler } from '../../model/sampler.js';
import { defaultDecoding, generateLimits, parseGenerateParams, type GenerateParams } from '../../pipeline/generate-params.js';
import { composePiece } from '../../pipeline/generate-piece.js';
import type { ServedModel } from '../../pipeline/model-cache.js';
import { isClientError } from '../../pipeline/request-errors.js';
import { generateWithApi } from './generate-remote.js';
import { checkWritable, readPrimerFile, writeOutputFile } from './input-files.js';
import { loadModelFolder } from './model-folder.js';
import { defaultModelDir } from '../../model/committed-models.js';
import { usageError } from './usage-error.js';

/** Generate parameters the command passes on (commander names them as the API does): the same limits everywhere. */
const parameterNames = ['temperature', 'topK', 'topP', 'maxNoteSeconds', 'seed', 'events', 'seconds', 'density', 'key', 'dynamics', 'style', 'followPrimer', 'primerEnd'];

/** `rubato generate [--model DIR] --out piece.mid …`: samples a new piece from a trained model. */
export function register(program: Command): void {
  program
    .command('generate')
    .description('Sample a new piece from a trained model and write it as MIDI')
    .option('--model <dir>', 'model folder (default: models/default)')
    .requiredOption('--out <file>', 'MIDI file to write')
    .option('--temperature <x>', `softmax temperature (0.1-2; default: the model's own, else ${defaultDecoding.temperature})`)
    .option('--top-k <n>', `keep the k likeliest events (0 = all; default: the model's own, else ${defaultDecoding.topK})`)
    .option('--top-p <p>', `keep the likeliest events up to this probability mass (default: the model's own, else ${defaultDecoding.topP})`)
    .option('--max-note-seconds <s>', `end a note held this long (${generateLimits.maxNoteSeconds.min}-${generateLimits.maxNoteSeconds.max}, default ${generateLimits.maxNoteSeconds.default})`)
    .option('--seed <n>', 'random seed: the same seed gives the same piece (default: random, printed)')
    .option('--events <n>', 'length in new events (instead of --seconds)')
    .option('--seconds <s>', 'length in seconds of music (default 20)')
    .option('--primer <file.mid>', 'MIDI to continue')
    .option('--primer-end <s>', 'continue from this many seconds into the primer: later notes are left out, notes sounding then are held (default: its end)')
    .option('--follow-primer <on|off>', 'continue in the primer\'s manner: its density and pitch classes as controls, its held notes (off: from its notes alone)', 'on')
    .option('--density <notes/s>', 'steer: notes per second (models with controls)')
    .option('--key <key>', 'steer: key, e.g. C, F#, Bb, Am, C#m (models with controls)')
    .option('--dynamics <mark>', 'steer: pp | p | mp | mf | f | ff (models with controls)')
    .option('--style <composer>', 'steer: a composer the model knows, or any (models with controls)')
    .option('--api <url>', "generate on a deployed (or emulated) API instead, SigV4-signed; --model then names a published run id")
    .option('--region <region>', 'with --api: AWS region to sign for when the URL does not name one (default AWS_REGION)')
    .action(async (raw: Record<string, unknown>) => {
      const { params, primerBytes } = await paramsOf(raw);
      if (raw.api !== undefined) return generateWithApi(raw, fieldsOf(raw), primerBytes);
      const folder = typeof raw.model === 'string' && raw.model !== '' ? raw.model : defaultModelDir;
      const out = String(raw.out);
      const model = await loadModelFolder('generate', folder, '; train one with `rubato train` or pass --model DIR');
      const tokenizer = tokenizerOf(model.manifest);
      await checkWritable('generate', '--out', out);
      const served: ServedModel = { runId: basename(resolve(folder)), model, tokenizer, sampler: createSampler(model, tokenizer) };
      const started = performance.now();
      let piece;
      try {
        piece = composePiece(served, params, { deadline: Number.POSITIVE_INFINITY });
      } catch (error) {
        if (isClientError(error)) usageError('generate', asOptions(error.message));
        throw error;
      }
      await writeOutputFile('generate', '--out', out, piece.midi);
      console.log(
        JSON.stringify({
          out,
          seed: piece.seed,
          events: piece.events,
          notes: piece.notes,
          seconds: Number(piece.seconds.toFixed(2)),
          sampling: piece.decoding,
          ...(typeof raw.primer === 'string' ? { fromPrimer: piece.fromPrimer } : {}),
          msPerEvent: Number(((performance.now() - started) / Math.max(1, piece.events)).toFixed(3)),
        }),
      );
    });
}

/**
 * Validates the options through the API's own parameter parser; a wrong one exits 2 naming the option. The primer
 * file's bytes come back too, read once: `--api` sends them as they are.
 */
async function paramsOf(raw: Record<string, unknown>): Promise<{ params: GenerateParams; primerBytes?: Uint8Array }> {
  try {
    // As a POST body, so the primer is checked and cut (`--primer-end`) exactly as the API does it.
    if (typeof raw.primer !== 'string') return { params: parseGenerateParams(fieldsOf(raw), 'body') };
    const primerBytes = await readPrimerFile(raw.primer);
    return { params: parseGenerateParams({ ...fieldsOf(raw), primer: Buffer.from(primerBytes).toString('base64') }, 'body'), primerBytes };
  } catch (error) {
    if (isClientError(error)) usageError('generate', asOptions(error.message));
    throw error;
  }
}

/** The generate parameters given on the command line, as the API names them. */
function fieldsOf(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(parameterNames.flatMap((name) => (raw[name] === undefined ? [] : [[name, onOff(String(raw[name]))]])));
}

/** `--follow-primer on|off` reads as the API's true|false. */
function onOff(value: string): string {
  return value === 'on' ? 'true' : value === 'off' ? 'false' : value;
}

/** The API names `parameter "topP"`; on the command line that is `--top-p`. */
function asOptions(message: string): string {
  return message.replace(/parameter "(\w+)"/g, (_, name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}
