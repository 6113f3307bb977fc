import { createHash } from 'node:crypto';
import { MidiError, type MidiErrorCode } from '../midi/midi-error.js';
import type { MidiLimits } from '../midi/midi-limits.js';
import { parseMidi } from '../midi/parse-midi.js';
import { extendVocabulary, type NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import type { DatasetEntryMeta } from './entry.js';

/** Why a file was refused: the MIDI layer's codes, or `unencodable` when the tokenizer refused its notes. */
export type RejectionCode = MidiErrorCode | 'unencodable';

export type TokenizedFile =
  | { ok: true; meta: DatasetEntryMeta; tokens: Uint16Array }
  | { ok: false; digest: string; code: RejectionCode; message: string };

export interface TokenizeFileOptions {
  limits?: Partial<MidiLimits>;
  /** notes-chords: the vocabulary `tokenizer` encodes with; the file's new symbols are appended to it first. */
  vocabulary?: NotesChordsVocabulary;
  /** Piece id recorded in the metadata (drives the train/validation split). */
  piece?: string;
}

/** sha256 (hex) of a file's bytes: the content address of its dataset entry. */
export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * MIDI bytes → token ids and the entry's metadata. Pure apart from growing `options.vocabulary`; never throws for a
 * bad file: a file the MIDI layer or the tokenizer refuses comes back as `{ ok: false, code, message }`.
 *
 * @example
 * const result = tokenizeMidiFile(await readFile('a.mid'), 'a.mid', performanceTokenizer);
 * if (result.ok) await writeEntry(store, 'tokens/', result.meta, result.tokens);
 */
export function tokenizeMidiFile(
  bytes: Uint8Array,
  source: string,
  tokenizer: Tokenizer,
  options: TokenizeFileOptions = {},
): TokenizedFile {
  const digest = digestOf(bytes);
  let sequence;
  try {
    sequence = parseMidi(bytes, options.limits);
  } catch (error) {
    if (error instanceof MidiError) return { ok: false, digest, code: error.code, message: error.message };
    throw error;
  }
  let tokens: Uint16Array;
  try {
    if (options.vocabulary) extendVocabulary(options.vocabulary, sequence);
    tokens = tokenizer.encode(sequence);
  } catch (error) {
    // The tokenizers throw RangeError for notes they cannot represent (impossible pitch, non-finite times).
    if (error instanceof RangeError) return { ok: false, digest, code: 'unencodable', message: error.message };
    throw error;
  }
  const meta: DatasetEntryMeta = {
    schemaVersion: 1,
    digest,
    source,
    tokenizer: tokenizer.name,
    notes: sequence.notes.length,
    seconds: sequence.totalSeconds,
    events: tokens.length,
    ...(options.piece !== undefined ? { piece: options.piece } : {}),
  };
  return { ok: true, meta, tokens };
}
