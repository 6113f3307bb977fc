import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { datasetEntryMetaSchema } from '../../dataset/entry-meta-schema.js';
import { bytesToTokens } from '../../dataset/token-bytes.js';
import { defaultMidiLimits } from '../../midi/midi-limits.js';
import { writeMidi } from '../../midi/write-midi.js';
import { FsStore } from '../../store/fs-store.js';
import { getJson } from '../../store/json.js';
import { getTokenizer, NotesChordsVocabulary, TOKENIZER_NAMES, VocabularyError } from '../../tokens/index.js';
import type { Tokenizer, TokenizerName } from '../../tokens/tokenizer.js';
import { readInputFile } from '../read-input-file.js';
import { usageError } from './usage-error.js';

const optionsSchema = z.object({
  out: z.string().min(1),
  tokenizer: z.enum(TOKENIZER_NAMES as ['performance', 'notes-chords']).optional(),
});

/** Largest token file read: twice a MIDI file's event cap in Uint16 ids, so no file the pipeline wrote is refused. */
const maxTokenFileBytes = 2 * 2 * defaultMidiLimits.maxEvents;

/** `rubato decode <file.tokens> --out out.mid`: token ids back to a MIDI file. */
export function register(program: Command): void {
  program
    .command('decode')
    .description('Turn a token file (Uint16 LE ids, as preprocess writes) back into MIDI')
    .argument('<tokens>', 'a .tokens file; notes-chords needs vocabulary.json beside it')
    .requiredOption('--out <file>', 'MIDI file to write')
    .option('--tokenizer <name>', `${TOKENIZER_NAMES.join(' | ')} (default: from the .json beside the file, else performance)`)
    .action(async (tokensFile: string, raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('decode', parsed.error);
      const options = parsed.data;
      const bytes = await readInputFile(tokensFile, maxTokenFileBytes).catch((error: Error) => usageError('decode', error.message));
      let ids: Uint16Array;
      try {
        ids = bytesToTokens(new Uint8Array(bytes));
      } catch (error) {
        usageError('decode', `${tokensFile}: ${(error as Error).message}`);
      }
      const tokenizer = await tokenizerFor(tokensFile, options.tokenizer);
      const sequence = tokenizer.decode(ids);
      await writeFile(options.out, writeMidi(sequence));
      console.log(`${options.out}: ${sequence.notes.length} notes, ${sequence.totalSeconds.toFixed(1)} s from ${ids.length} ${tokenizer.name} ids`);
    });
}

async function tokenizerFor(tokensFile: string, named: TokenizerName | undefined): Promise<Tokenizer> {
  const name = named ?? (await sidecarTokenizer(tokensFile)) ?? 'performance';
  if (name === 'performance') return getTokenizer(name);
  const vocabularyFile = join(dirname(tokensFile), 'vocabulary.json');
  try {
    return getTokenizer(name, NotesChordsVocabulary.fromJSON(await readFile(vocabularyFile, 'utf8')));
  } catch (error) {
    if (error instanceof VocabularyError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      usageError('decode', `notes-chords tokens need their vocabulary: ${vocabularyFile}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** The tokenizer the entry's `.json` sidecar names; undefined without one. A damaged sidecar is a usage error naming it. */
async function sidecarTokenizer(tokensFile: string): Promise<TokenizerName | undefined> {
  if (!tokensFile.endsWith('.tokens')) return undefined;
  const sidecarFile = tokensFile.replace(/\.tokens$/, '.json');
  const read = await getJson(new FsStore(dirname(sidecarFile)), basename(sidecarFile), datasetEntryMetaSchema);
  if (read.status === 'damaged') usageError('decode', `${sidecarFile} is damaged (${read.reason}): name the tokenizer with --tokenizer`);
  return read.status === 'valid' ? read.value.tokenizer : undefined;
}
