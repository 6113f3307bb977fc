import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { CsvError } from '../../dataset/csv.js';
import { combinePieceManifests, pieceManifestFromCsv, type PieceManifest } from '../../dataset/piece-manifest.js';
import { DEFAULT_VALIDATION_FRACTION } from '../../dataset/split.js';
import { TOKENIZER_NAMES } from '../../tokens/index.js';
import { collectInputs, MissingInputError } from '../preprocess/collect-inputs.js';
import { fileProgress } from '../preprocess/progress-lines.js';
import { defaultMidiLimits } from '../../midi/midi-limits.js';
import { preprocessBatch } from '../../pipeline/preprocess-batch.js';
import { summarize } from '../../pipeline/preprocess-report.js';
import { FsStore } from '../../store/fs-store.js';
import { localInputReader } from '../read-input-file.js';
import { requireOutputFolder } from './output-folder.js';
import { usageError } from './usage-error.js';

const optionsSchema = z.object({
  out: z.string().min(1),
  tokenizer: z.enum(TOKENIZER_NAMES as ['performance', 'notes-chords']).default('performance'),
  manifest: z.array(z.string().min(1)).default([]),
  jobs: z.coerce.number().int().min(1).max(64).default(Math.max(1, availableParallelism())),
  validationFraction: z.coerce.number().min(0).max(1).default(DEFAULT_VALIDATION_FRACTION),
});

/** `rubato preprocess <files or folders…> --out DIR`: MIDI files → content-addressed token files, split and report. */
export function register(program: Command): void {
  program
    .command('preprocess')
    .description('Tokenize MIDI files (folders are searched for .mid/.midi/.rmi) into DIR/tokens/, with split.json and report.json')
    .argument('<inputs...>', 'MIDI files or folders')
    .requiredOption('--out <dir>', 'output folder')
    .option('--tokenizer <name>', `${TOKENIZER_NAMES.join(' | ')}`, 'performance')
    .option('--manifest <csv>', 'CSV naming the piece of each file (composer + asap_title, …); repeatable. Default: *manifest*.csv in or beside input folders', collect, [])
    .option('--jobs <n>', 'worker threads (default: the number of cores)')
    .option('--validation-fraction <x>', 'share of pieces held out for validation', String(DEFAULT_VALIDATION_FRACTION))
    .action(async (inputs: string[], raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('preprocess', parsed.error);
      const options = parsed.data;
      await requireOutputFolder('preprocess', '--out', options.out);
      let collected;
      try {
        collected = await collectInputs(inputs);
      } catch (error) {
        if (error instanceof MissingInputError) usageError('preprocess', error.message);
        throw error;
      }
      if (collected.files.length === 0) usageError('preprocess', `no MIDI files (.mid, .midi, .rmi) in ${inputs.join(', ')}`);
      const manifestFiles = options.manifest.length > 0 ? options.manifest : collected.manifests;
      const pieces = await readManifests(manifestFiles);
      if (manifestFiles.length > 0) console.log(`pieces from ${manifestFiles.join(', ')}: ${pieces.size} files named`);
      const progress = fileProgress('preprocess');
      const report = await preprocessBatch({
        files: collected.files,
        read: localInputReader(defaultMidiLimits.maxBytes),
        store: new FsStore(options.out),
        tokenizer: options.tokenizer,
        jobs: options.jobs,
        pieces,
        validationFraction: options.validationFraction,
        onFile: (done, total) => progress.update(done, total),
      });
      progress.stop();
      console.log(summarize(report));
      console.log(`wrote ${options.out}/tokens/, ${options.out}/split.json, ${options.out}/report.json`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readManifests(files: readonly string[]): Promise<PieceManifest> {
  const manifests: PieceManifest[] = [];
  for (const file of files) {
    try {
      manifests.push(pieceManifestFromCsv(await readFile(file, 'utf8')));
    } catch (error) {
      if (error instanceof CsvError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
        usageError('preprocess', `--manifest ${file}: ${(error as Error).message}`);
      }
      throw error;
    }
  }
  return combinePieceManifests(manifests);
}
