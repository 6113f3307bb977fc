import type { NoteSequence } from '../midi/note-sequence.js';
import type { LoadedModel } from '../model/model-files.js';
import { SeededRandom } from '../model/random.js';
import { createSampler, defaultRules, lengthInSeconds } from '../model/sampler.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import { excerpt, excerptPlaces } from '../music/excerpts.js';
import { musicReport, type MusicReport } from '../music/music-report.js';

export interface MusicEvaluationOptions {
  /** Pieces sampled (seeds 1…pieces), and excerpts taken from each of the real sets. */
  pieces: number;
  /** Length of every piece and excerpt. */
  seconds: number;
  temperature: number;
  topK: number;
  topP: number;
  /** False samples the model raw and decodes without a note cap: the "before" of the grammar. */
  grammar: boolean;
  maxNoteSeconds: number;
  maxPolyphony?: number;
}

/** Token files of the two real sets: held-out performances and the training performances (the "real" reference). */
export interface RealFiles {
  heldOut: readonly ArrayLike<number>[];
  reference: readonly ArrayLike<number>[];
}

/**
 * Samples `pieces` pieces of `seconds` from the model and measures them against excerpts of the same length from
 * held-out and training performances (see {@link musicReport}).
 *
 * @example
 * const report = evaluateMusic(model, tokenizer, { heldOut, reference }, { pieces: 48, seconds: 30, temperature: 1, topK: 0, topP: 0.95, grammar: true, maxNoteSeconds: 5 });
 */
export function evaluateMusic(model: LoadedModel, tokenizer: Tokenizer, files: RealFiles, options: MusicEvaluationOptions): MusicReport {
  const sampler = createSampler(model, tokenizer);
  const generated = Array.from({ length: options.pieces }, (_, index) => {
    const ids = sampler.generate({
      stop: lengthInSeconds(options.seconds),
      decoding: { temperature: options.temperature, topK: options.topK, topP: options.topP, seed: index + 1 },
      rules: options.grammar && {
        ...defaultRules,
        maxNoteSeconds: options.maxNoteSeconds,
        ...(options.maxPolyphony !== undefined ? { maxPolyphony: options.maxPolyphony } : {}),
      },
    });
    return tokenizer.decode(ids, options.grammar ? { maxNoteSeconds: options.maxNoteSeconds } : {});
  });
  const excerptsOf = (tokenFiles: readonly ArrayLike<number>[], seed: number): NoteSequence[] => {
    const fileSeconds = tokenFiles.map((ids) => {
      let seconds = 0;
      for (let i = 0; i < ids.length; i++) seconds += tokenizer.secondsOf(ids[i]!);
      return seconds;
    });
    const decoded = new Map<number, NoteSequence>();
    const random = new SeededRandom(seed);
    return excerptPlaces(fileSeconds, options.pieces, options.seconds, () => random.next()).map(({ file, startSeconds }) => {
      if (!decoded.has(file)) decoded.set(file, tokenizer.decode(tokenFiles[file]!));
      return excerpt(decoded.get(file)!, startSeconds, options.seconds);
    });
  };
  return musicReport({ generated, heldOut: excerptsOf(files.heldOut, 1), reference: excerptsOf(files.reference, 2) }, options.seconds);
}
