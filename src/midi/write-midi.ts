import tonejs from '@tonejs/midi';
import type { NoteSequence } from './note-sequence.js';

// @tonejs/midi is CommonJS whose named exports Node cannot detect: take them from the default export.
const { Midi } = tonejs;

export interface WriteMidiOptions {
  /** Tempo written into the file (times are kept in seconds whatever it is). Default 120. */
  tempoBpm?: number;
  /** Ticks per quarter note: with 120 BPM, 480 gives about 1 ms resolution. Default 480. */
  ppq?: number;
  /** Track and sequence name. Default "rubato". */
  name?: string;
}

/**
 * Write notes as a format-1 Standard MIDI File: a tempo track and one acoustic-piano track on
 * channel 1. Same-pitch notes that overlap are cut where the pitch is struck again, which is how
 * {@link parseMidi} would read them back anyway.
 *
 * @example
 * await writeFile('out.mid', writeMidi(sequence, { tempoBpm: 100 }));
 */
export function writeMidi(sequence: NoteSequence, options: WriteMidiOptions = {}): Uint8Array {
  const { tempoBpm = 120, ppq = 480, name = 'rubato' } = options;
  if (!(tempoBpm > 0) || !Number.isInteger(ppq) || ppq < 1 || ppq > 0x7fff) {
    throw new RangeError(`writeMidi: tempoBpm must be > 0 and ppq an integer in 1..32767 (got ${tempoBpm}, ${ppq})`);
  }
  // The file stores whole microseconds per quarter; convert with that value so times survive a re-read.
  const microsecondsPerQuarter = Math.floor(60_000_000 / tempoBpm);
  const ticksPerSecond = (1e6 / microsecondsPerQuarter) * ppq;
  const toTicks = (seconds: number): number => Math.max(0, Math.round(seconds * ticksPerSecond));

  const midi = new Midi();
  midi.fromJSON({
    // tonejs writes floor(60e6 / bpm): aim at the middle of the microsecond so float error cannot floor one lower.
    header: { name, ppq, tempos: [{ bpm: 60_000_000 / (microsecondsPerQuarter + 0.5), ticks: 0 }], timeSignatures: [], keySignatures: [], meta: [] },
    tracks: [],
  });
  const track = midi.addTrack();
  track.name = name;

  const ordered = [...sequence.notes].sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
  const nextStartTick = new Map<number, number>();
  for (let index = ordered.length - 1; index >= 0; index--) {
    const note = ordered[index];
    const startTick = toTicks(note.startSeconds);
    const endTick = Math.min(toTicks(note.endSeconds), nextStartTick.get(note.pitch) ?? Infinity);
    nextStartTick.set(note.pitch, startTick);
    if (endTick <= startTick) continue;
    // tonejs stores velocity as 0..1 and writes floor(v × 127): aim at the middle of the step.
    const velocity = Math.min(127, Math.max(1, Math.round(note.velocity)));
    track.addNote({ midi: note.pitch, ticks: startTick, durationTicks: endTick - startTick, velocity: (velocity + 0.5) / 127 });
  }
  return midi.toArray();
}
