export type MidiErrorCode =
  | 'not-midi'
  | 'truncated'
  | 'bad-header'
  | 'bad-track'
  | 'no-notes'
  | 'too-large'
  | 'too-many-events'
  | 'too-many-tracks'
  | 'too-long';

/** A MIDI file we refuse, with a reason a person can act on. Never thrown for a file we can read. */
export class MidiError extends Error {
  override readonly name = 'MidiError';
  constructor(
    readonly code: MidiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
