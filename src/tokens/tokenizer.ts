import type { NoteSequence } from '../midi/note-sequence.js';

export type TokenizerName = 'performance' | 'notes-chords';

/** Turns a NoteSequence into token ids and back. decode() accepts any id sequence a model can emit, without throwing. */
export interface Tokenizer {
  readonly name: TokenizerName;
  readonly vocabSize: number;
  encode(sequence: NoteSequence): Uint16Array;
  decode(ids: ArrayLike<number>): NoteSequence;
  /** Seconds of music that the ids advance (for length limits while sampling). */
  secondsOf(id: number): number;
}
