import { MidiError } from './midi-error.js';

/** Receives the events of one track that matter for notes; everything else is skipped. */
export interface TrackEventSink {
  /** `velocity` is 1..127: a note-on with velocity 0 arrives as `noteOff`. */
  noteOn(tick: number, channel: number, pitch: number, velocity: number): void;
  noteOff(tick: number, channel: number, pitch: number): void;
  controlChange(tick: number, channel: number, controller: number, value: number): void;
  tempo(tick: number, microsecondsPerQuarter: number): void;
}

/** Events counted across all tracks of one file, so the whole file stays within `max`. */
export interface EventBudget {
  used: number;
  max: number;
}

/** Bytes of data after a channel status byte, indexed by its high nibble (0x8..0xE). */
const channelDataLength = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 2];

/**
 * Read one `MTrk` chunk's events in order (running status included) into `sink`.
 * Stops at End of Track; returns the tick where the track ends.
 *
 * @example
 * const endTick = readTrackEvents(chunks.tracks[0], 1, sink, { used: 0, max: 2_000_000 });
 */
export function readTrackEvents(track: Uint8Array, trackNumber: number, sink: TrackEventSink, budget: EventBudget): number {
  const length = track.length;
  let pos = 0;
  let tick = 0;
  let runningStatus = 0;

  const fail = (what: string): never => {
    throw new MidiError('bad-track', `bad track ${trackNumber}: ${what} at byte ${pos} of the track`);
  };
  const readVariableLength = (): number => {
    let value = 0;
    for (let bytesRead = 0; bytesRead < 4; bytesRead++) {
      if (pos >= length) return fail('an event runs past the end of the track');
      const byte = track[pos++];
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    return fail('a variable-length number longer than 4 bytes');
  };
  const skip = (byteCount: number): void => {
    if (pos + byteCount > length) fail('an event runs past the end of the track');
    pos += byteCount;
  };

  while (pos < length) {
    tick += readVariableLength();
    if (++budget.used > budget.max) {
      throw new MidiError('too-many-events', `too many events: more than ${budget.max} (the limit per file)`);
    }
    if (pos >= length) fail('an event runs past the end of the track');
    let status = track[pos];
    if (status < 0x80) {
      if (runningStatus === 0) fail('running status before any status byte');
      status = runningStatus;
    } else {
      pos++;
      if (status === 0xff) {
        const metaType = pos < length ? track[pos++] : fail('an event runs past the end of the track');
        const metaLength = readVariableLength();
        const metaStart = pos;
        skip(metaLength);
        if (metaType === 0x2f) return tick;
        if (metaType === 0x51 && metaLength >= 3) {
          const microsecondsPerQuarter = (track[metaStart] << 16) | (track[metaStart + 1] << 8) | track[metaStart + 2];
          if (microsecondsPerQuarter > 0) sink.tempo(tick, microsecondsPerQuarter);
        }
        continue;
      }
      if (status === 0xf0 || status === 0xf7) {
        skip(readVariableLength());
        continue;
      }
      if (status > 0xf0) fail(`status byte 0x${status.toString(16)}, which a MIDI file may not contain`);
      runningStatus = status;
    }
    const kind = status >> 4;
    const channel = status & 0x0f;
    const dataLength = channelDataLength[kind];
    if (pos + dataLength > length) fail('an event runs past the end of the track');
    const data1 = track[pos];
    const data2 = dataLength === 2 ? track[pos + 1] : 0;
    if ((data1 | data2) & 0x80) fail('a data byte with its high bit set');
    pos += dataLength;
    if (kind === 0x9 && data2 > 0) sink.noteOn(tick, channel, data1, data2);
    else if (kind === 0x8 || kind === 0x9) sink.noteOff(tick, channel, data1);
    else if (kind === 0xb) sink.controlChange(tick, channel, data1, data2);
  }
  return tick;
}
