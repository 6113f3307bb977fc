import type { Note, NoteSequence } from '../midi/note-sequence.js';
import { chordSymbol, stepChords } from './chord-symbols.js';
import type { NotesChordsVocabulary } from './notes-chords-vocabulary.js';
import type { Tokenizer } from './tokenizer.js';

const REST_ID = 0;

/**
 * The classic Keras tutorial vocabulary over a step grid: one id per step, for the note or chord starting there or
 * for a rest. A symbol the vocabulary lacks encodes as its nearest known sub-chord ({@link nearestKnownId}).
 * Decoding gives every note the vocabulary's fixed velocity and one step of duration; ids outside the vocabulary
 * decode as rests, so every id advances the clock by one step.
 * @example const tokenizer = notesChordsTokenizer(buildNotesChordsVocabulary(sequences));
 */
export function notesChordsTokenizer(vocabulary: NotesChordsVocabulary): Tokenizer {
  const step = vocabulary.stepSeconds;
  return {
    name: 'notes-chords',
    get vocabSize() {
      return vocabulary.size;
    },
    encode(sequence: NoteSequence): Uint16Array {
      const chords = stepChords(sequence, step);
      const ids = new Uint16Array(chords.length);
      for (let i = 0; i < chords.length; i++) ids[i] = nearestKnownId(vocabulary, chords[i]);
      return ids;
    },
    decode(ids: ArrayLike<number>): NoteSequence {
      const notes: Note[] = [];
      for (let i = 0; i < ids.length; i++) {
        for (const pitch of vocabulary.pitchesOf(ids[i])) {
          notes.push({ pitch, velocity: vocabulary.velocity, startSeconds: i * step, endSeconds: (i + 1) * step });
        }
      }
      return { notes, totalSeconds: ids.length * step };
    },
    secondsOf: () => step,
  };
}

/**
 * Id of a chord (ascending distinct pitches), or of the largest known sub-chord: while the chord is unknown, try it
 * without each one of its pitches (lowest first), else drop its lowest pitch and repeat, keeping the melody on top.
 * A chord none of whose pitches is known becomes a rest.
 */
export function nearestKnownId(vocabulary: NotesChordsVocabulary, pitches: readonly number[]): number {
  let chord = pitches;
  while (chord.length > 0) {
    const id = vocabulary.idOf(chordSymbol(chord));
    if (id !== undefined) return id;
    for (let drop = 0; drop < chord.length && chord.length > 1; drop++) {
      const subId = vocabulary.idOf(chordSymbol(chord.filter((_, i) => i !== drop)));
      if (subId !== undefined) return subId;
    }
    chord = chord.slice(1);
  }
  return REST_ID;
}
