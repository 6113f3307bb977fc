/** Tiny byte builders for Standard MIDI Files, so tests can make exactly the odd file they need. */

/** MIDI variable-length quantity: 7 bits per byte, high bit set on all but the last. */
export function variableLength(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

const uint32BE = (value: number): number[] => [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

export const noteOn = (delta: number, channel: number, pitch: number, velocity: number): number[] => [
  ...variableLength(delta),
  0x90 | channel,
  pitch,
  velocity,
];
export const noteOff = (delta: number, channel: number, pitch: number): number[] => [...variableLength(delta), 0x80 | channel, pitch, 64];
export const controlChange = (delta: number, channel: number, controller: number, value: number): number[] => [
  ...variableLength(delta),
  0xb0 | channel,
  controller,
  value,
];
export const sustain = (delta: number, channel: number, down: boolean): number[] => controlChange(delta, channel, 64, down ? 127 : 0);
export const tempo = (delta: number, microsecondsPerQuarter: number): number[] => [
  ...variableLength(delta),
  0xff,
  0x51,
  3,
  (microsecondsPerQuarter >> 16) & 0xff,
  (microsecondsPerQuarter >> 8) & 0xff,
  microsecondsPerQuarter & 0xff,
];
export const endOfTrack = (delta = 0): number[] => [...variableLength(delta), 0xff, 0x2f, 0];

/** A chunk: four-letter id, big-endian length, body. */
export const chunk = (id: string, body: number[]): number[] => [...ascii(id), ...uint32BE(body.length), ...body];

/** An `MTrk` chunk from events (each already encoded with its delta time). */
export const trackChunk = (...events: number[][]): number[] => chunk('MTrk', events.flat());

export interface MidiFileSpec {
  format?: number;
  /** Raw 16-bit division word: ticks per quarter, or SMPTE (high bit set). Default 480. */
  division?: number;
  /** Track count written in the header; default the number of `MTrk` chunks in `chunks`. */
  declaredTracks?: number;
  /** Chunks after the header, in order (tracks and anything else). */
  chunks: number[][];
}

/** A whole Standard MIDI File. */
export function midiFile({ format = 1, division = 480, declaredTracks, chunks }: MidiFileSpec): Uint8Array {
  const trackCount = declaredTracks ?? chunks.filter((bytes) => String.fromCharCode(...bytes.slice(0, 4)) === 'MTrk').length;
  const header = chunk('MThd', [format >> 8, format & 0xff, trackCount >> 8, trackCount & 0xff, (division >> 8) & 0xff, division & 0xff]);
  return new Uint8Array([...header, ...chunks.flat()]);
}

/** A format-0 file with one track of `events` at 480 ticks per quarter (960 ticks per second at the default tempo). */
export const singleTrackFile = (...events: number[][]): Uint8Array =>
  midiFile({ format: 0, chunks: [trackChunk(...events, endOfTrack())] });

/** Wrap a Standard MIDI File in a RIFF `RMID` container, after an odd-sized `LIST` chunk (padding included). */
export function riffWrap(smf: Uint8Array): Uint8Array {
  const list = [...ascii('LIST'), 3, 0, 0, 0, 1, 2, 3, 0];
  const data = [...ascii('data'), ...[smf.length & 0xff, (smf.length >> 8) & 0xff, (smf.length >> 16) & 0xff, smf.length >>> 24], ...smf];
  const body = [...ascii('RMID'), ...list, ...data];
  return new Uint8Array([...ascii('RIFF'), body.length & 0xff, (body.length >> 8) & 0xff, (body.length >> 16) & 0xff, body.length >>> 24, ...body]);
}
