import type { PedalChange, TempoChange, TickNote } from './tick-note.js';
import type { TrackEventSink } from './track-events.js';

/** MIDI channel 10 (9 counting from 0) is General MIDI percussion: not piano notes. */
export const percussionChannel = 9;
const sustainPedalController = 64;

/**
 * Pairs note-ons with note-offs track by track, and collects sustain pedal and tempo changes.
 * A note-on for a pitch that is already sounding on the same channel ends the sounding note there;
 * a note-off at that same tick then belongs to the ended note, not the new one (files write
 * "off, on" in either order). Notes never released sound until the end of the file.
 *
 * @example
 * const builder = new NoteBuilder();
 * builder.startTrack(); const end = readTrackEvents(track, 1, builder, budget); builder.endTrack();
 * builder.finish(lastTickOfAllTracks);
 */
export class NoteBuilder implements TrackEventSink {
  readonly notes: TickNote[] = [];
  readonly tempos: TempoChange[] = [];
  /** Pedal changes per channel, in file order within each track. */
  readonly pedals: PedalChange[][] = Array.from({ length: 16 }, () => []);
  percussionNotes = 0;

  /** The note sounding per channel × pitch. Notes are created at note-on, so each track's come in start order. */
  private readonly sounding: (TickNote | undefined)[] = new Array(16 * 128);
  /** Per slot: 1 when the sounding note ended another note of its pitch at the tick it started. */
  private readonly replacedAtStart = new Uint8Array(16 * 128);
  /**
   * Slots this track has used, each once, so starting and ending a track costs its own notes rather than a sweep of
   * all 2,048 slots: 5 MiB hold 655 k empty tracks.
   */
  private readonly usedSlots: number[] = [];
  private readonly slotUsed = new Uint8Array(16 * 128);
  private readonly unreleased: TickNote[] = [];

  startTrack(): void {
    for (const slot of this.usedSlots) {
      this.sounding[slot] = undefined;
      this.slotUsed[slot] = 0;
    }
    this.usedSlots.length = 0;
  }

  noteOn(tick: number, channel: number, pitch: number, velocity: number): void {
    if (channel === percussionChannel) {
      this.percussionNotes++;
      return;
    }
    const slot = channel * 128 + pitch;
    const previous = this.sounding[slot];
    if (previous !== undefined) previous.endTick = tick;
    const note: TickNote = { channel, pitch, velocity, startTick: tick, endTick: tick };
    this.notes.push(note);
    if (this.slotUsed[slot] === 0) {
      this.slotUsed[slot] = 1;
      this.usedSlots.push(slot);
    }
    this.sounding[slot] = note;
    this.replacedAtStart[slot] = previous === undefined ? 0 : 1;
  }

  noteOff(tick: number, channel: number, pitch: number): void {
    const slot = channel * 128 + pitch;
    const note = this.sounding[slot];
    if (note === undefined || (note.startTick === tick && this.replacedAtStart[slot] === 1)) return;
    note.endTick = tick;
    this.sounding[slot] = undefined;
  }

  controlChange(tick: number, channel: number, controller: number, value: number): void {
    if (controller === sustainPedalController) this.pedals[channel].push({ tick, down: value >= 64 });
  }

  tempo(tick: number, microsecondsPerQuarter: number): void {
    this.tempos.push({ tick, microsecondsPerQuarter });
  }

  endTrack(): void {
    for (const slot of this.usedSlots) {
      const note = this.sounding[slot];
      if (note !== undefined) this.unreleased.push(note);
    }
  }

  /** Close the notes never released, once the end of the whole file is known. */
  finish(fileEndTick: number): void {
    for (const note of this.unreleased) note.endTick = Math.max(note.startTick, fileEndTick);
  }
}
