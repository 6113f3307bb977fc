/** One sounding note. Times are seconds from the start of the piece, derived from ticks through the tempo map. */
export interface Note {
  pitch: number; // 0..127
  velocity: number; // 1..127
  startSeconds: number;
  endSeconds: number;
}

/** A piece as the model sees it: one merged, time-ordered list of notes (sustain pedal already applied). */
export interface NoteSequence {
  notes: Note[]; // sorted by startSeconds, then pitch
  totalSeconds: number;
}
