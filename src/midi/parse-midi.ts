import { MidiError } from './midi-error.js';
import { resolveMidiLimits, type MidiLimits } from './midi-limits.js';
import { NoteBuilder } from './note-builder.js';
import type { Note, NoteSequence } from './note-sequence.js';
import { cutRestruckNotes } from './restrike.js';
import { readSmfChunks } from './smf-chunks.js';
import { applySustainPedal } from './sustain-pedal.js';
import { createTempoMap } from './tempo-map.js';
import { readTrackEvents, type EventBudget } from './track-events.js';
import { unwrapRiff } from './unwrap-riff.js';

export { defaultMidiLimits, type MidiLimits } from './midi-limits.js';

/**
 * Read a MIDI file (`.mid`, or RIFF-wrapped `.rmi`) into the piano notes it plays: all tracks
 * merged, percussion (channel 10) left out, sustain pedal applied, a note ended where its pitch
 * is struck again, notes never released held to the end of the file, ticks turned into
 * seconds through the tempo map. Throws {@link MidiError} naming the problem for anything else,
 * including a drum-only file (`no-notes`) and a file cut short (`truncated`: no partial reads).
 *
 * @example
 * const sequence = parseMidi(await readFile('prelude.mid'));
 * sequence.notes[0]; // { pitch: 60, velocity: 80, startSeconds: 0.5, endSeconds: 1.25 }
 */
export function parseMidi(bytes: Uint8Array, limits?: Partial<MidiLimits>): NoteSequence {
  const { maxBytes, maxEvents, maxSeconds, maxTracks } = resolveMidiLimits(limits);
  if (bytes.length > maxBytes) {
    throw new MidiError('too-large', `too large: ${bytes.length} bytes (the limit is ${maxBytes})`);
  }
  const chunks = readSmfChunks(unwrapRiff(bytes), maxTracks);

  const builder = new NoteBuilder();
  const budget: EventBudget = { used: 0, max: maxEvents };
  let lastTick = 0;
  chunks.tracks.forEach((track, index) => {
    builder.startTrack();
    lastTick = Math.max(lastTick, readTrackEvents(track, index + 1, builder, budget));
    builder.endTrack();
  });
  builder.finish(lastTick);

  applySustainPedal(builder.notes, builder.pedals, lastTick);
  const tickNotes = cutRestruckNotes(builder.notes);
  if (tickNotes.length === 0) {
    const why = builder.percussionNotes > 0 ? 'only percussion (channel 10), which is not piano' : 'the file plays no notes';
    throw new MidiError('no-notes', `no notes: ${why}`);
  }

  const toSeconds = createTempoMap(chunks.timing, builder.tempos);
  const notes: Note[] = new Array(tickNotes.length);
  let totalSeconds = 0;
  for (let index = 0; index < tickNotes.length; index++) {
    const { pitch, velocity, startTick, endTick } = tickNotes[index];
    const endSeconds = toSeconds(endTick);
    if (endSeconds > totalSeconds) totalSeconds = endSeconds;
    notes[index] = { pitch, velocity, startSeconds: toSeconds(startTick), endSeconds };
  }
  if (totalSeconds > maxSeconds) {
    throw new MidiError('too-long', `too long: ${Math.round(totalSeconds)} s of music (the limit is ${maxSeconds} s)`);
  }
  return { notes, totalSeconds };
}
