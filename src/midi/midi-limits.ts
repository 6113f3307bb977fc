/** Bounds on the work one MIDI file may cause, so a hostile or broken upload cannot stall a worker. */
export interface MidiLimits {
  /** Largest file accepted, in bytes (after nothing: the raw upload). */
  maxBytes: number;
  /** Most events (of every kind, all tracks together) read before giving up. */
  maxEvents: number;
  /** Longest piece accepted, in seconds of music. */
  maxSeconds: number;
  /** Most `MTrk` chunks read: the header's 16-bit track count cannot declare more, so a file holding more is hostile. */
  maxTracks: number;
}

export const defaultMidiLimits: Readonly<MidiLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxEvents: 2_000_000,
  maxSeconds: 4 * 60 * 60,
  maxTracks: 65_535,
});

/** Fill in defaults; a limit that is not a positive number is a programming error, not a bad file. */
export function resolveMidiLimits(overrides: Partial<MidiLimits> = {}): MidiLimits {
  const limits = { ...defaultMidiLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!(typeof value === 'number' && value > 0)) {
      throw new RangeError(`MIDI limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}
