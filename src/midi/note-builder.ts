import type { PedalChange, TempoChange, TickNote } from './tick-note.js';
import type { TrackEventSink } from './track-events.js';

/** MIDI channel 10 (9 counting from 0) is General MIDI percussion: not piano notes. */
export const percussionChannel = 9;
const sustainPedalController = 64;
const noOpenNote = -1;

/**
 * Pairs note-ons with note-offs track by track, and collects sustain pedal and tempo changes.
 * A note-on for a pitch that is already sounding on the same channel ends the sounding note there;
 * a note-off at that same tick then belongs to the ended note, not the new one (files write
 * "off, on" in either order). Notes still sounding when a track ends are closed at its end.
 *
 * @example
 * const builder = new NoteBuilder();
 * builder.startTrack(); const end = readTrackEvents(track, 1, builder, budget); builder.endTrack(end);
 */
export class NoteBuilder implements TrackEventSink {
  readonly notes: TickNote[] = [];
  readonly tempos: TempoChange[] = [];
  /** Pedal changes per channel, in file order within each track. */
  readonly pedals: PedalChange[][] = Array.from({ length: 16 }, () => []);
  percussionNotes = 0;

  /** Open note per channel × pitch: start tick or `noOpenNote`. */
  private readonly openStart = new Float64Array(16 * 128).fill(noOpenNote);
  private readonly openVelocity = new Uint8Array(16 * 128);
  private readonly openReplacedAtStart = new Uint8Array(16 * 128);

  startTrack(): void {
    this.openStart.fill(noOpenNote);
  }

  noteOn(tick: number, channel: number, pitch: number, velocity: number): void {
    if (channel === percussionChannel) {
      this.percussionNotes++;
      return;
    }
    const slot = channel * 128 + pitch;
    const replaced = this.openStart[slot] !== noOpenNote;
    if (replaced) this.close(slot, tick);
    this.openStart[slot] = tick;
    this.openVelocity[slot] = velocity;
    this.openReplacedAtStart[slot] = replaced ? 1 : 0;
  }

  noteOff(tick: number, channel: number, pitch: number): void {
    const slot = channel * 128 + pitch;
    const start = this.openStart[slot];
    if (start === noOpenNote) return;
    if (start === tick && this.openReplacedAtStart[slot]) return;
    this.close(slot, tick);
  }

  controlChange(tick: number, channel: number, controller: number, value: number): void {
    if (controller === sustainPedalController) this.pedals[channel].push({ tick, down: value >= 64 });
  }

  tempo(tick: number, microsecondsPerQuarter: number): void {
    this.tempos.push({ tick, microsecondsPerQuarter });
  }

  endTrack(endTick: number): void {
    for (let slot = 0; slot < this.openStart.length; slot++) {
      if (this.openStart[slot] !== noOpenNote) this.close(slot, Math.max(endTick, this.openStart[slot]));
    }
  }

  private close(slot: number, endTick: number): void {
    this.notes.push({
      channel: slot >> 7,
      pitch: slot & 127,
      velocity: this.openVelocity[slot],
      startTick: this.openStart[slot],
      endTick,
    });
    this.openStart[slot] = noOpenNote;
  }
}
