import { MidiError } from './midi-error.js';

/** How the file counts time: ticks per quarter note (tempo-dependent) or SMPTE frames (absolute). */
export type SmfTiming =
  | { kind: 'ppq'; ticksPerQuarter: number }
  | { kind: 'smpte'; framesPerSecond: number; ticksPerFrame: number };

/** A Standard MIDI File split into its header fields and the bytes of each `MTrk` chunk. */
export interface SmfChunks {
  format: 0 | 1 | 2;
  declaredTracks: number;
  timing: SmfTiming;
  tracks: Uint8Array[];
}

const smpteFrameRates = new Set([24, 25, 29, 30]);

const readUint32BE = (bytes: Uint8Array, at: number): number =>
  bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);

const chunkId = (bytes: Uint8Array, at: number): string =>
  String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);

const isPrintableId = (bytes: Uint8Array, at: number): boolean =>
  [0, 1, 2, 3].every((offset) => bytes[at + offset] >= 0x20 && bytes[at + offset] <= 0x7e);

function readTiming(division: number): SmfTiming {
  if (division & 0x8000) {
    const framesPerSecond = 256 - (division >> 8);
    const ticksPerFrame = division & 0xff;
    if (!smpteFrameRates.has(framesPerSecond) || ticksPerFrame === 0) {
      throw new MidiError(
        'bad-header',
        `bad header: SMPTE timing of ${framesPerSecond} frames/s × ${ticksPerFrame} ticks (frames/s must be 24, 25, 29 or 30)`,
      );
    }
    return { kind: 'smpte', framesPerSecond, ticksPerFrame };
  }
  if (division === 0) throw new MidiError('bad-header', 'bad header: 0 ticks per quarter note');
  return { kind: 'ppq', ticksPerQuarter: division };
}

/**
 * Split a Standard MIDI File (starting with `MThd`) into header fields and track chunks.
 * Unknown chunk types are skipped, as the standard asks; a header that declares more tracks
 * than the file holds is tolerated when the file ends cleanly, and junk after the declared
 * tracks is ignored. A chunk that runs past the end of the file is `truncated`; more than `maxTracks` track chunks
 * are `too-many-tracks`.
 *
 * @example
 * const { timing, tracks } = readSmfChunks(bytes);
 */
export function readSmfChunks(bytes: Uint8Array, maxTracks = Number.POSITIVE_INFINITY): SmfChunks {
  if (bytes.length < 14) throw new MidiError('truncated', `truncated header: the file has only ${bytes.length} bytes`);
  const headerLength = readUint32BE(bytes, 4);
  if (headerLength < 6) throw new MidiError('bad-header', `bad header: "MThd" chunk of ${headerLength} bytes (needs 6)`);
  if (8 + headerLength > bytes.length) throw new MidiError('truncated', 'truncated header: the file ends inside "MThd"');
  const format = (bytes[8] << 8) | bytes[9];
  if (format > 2) throw new MidiError('bad-header', `bad header: format ${format} (must be 0, 1 or 2)`);
  const declaredTracks = (bytes[10] << 8) | bytes[11];
  const timing = readTiming((bytes[12] << 8) | bytes[13]);

  const tracks: Uint8Array[] = [];
  let at = 8 + headerLength;
  while (at < bytes.length) {
    const expectingTracks = tracks.length < declaredTracks;
    if (bytes.length - at < 8 || !isPrintableId(bytes, at)) {
      if (!expectingTracks) break;
      if (bytes.length - at < 8) throw new MidiError('truncated', `truncated: the file ends inside the header of track ${tracks.length + 1}`);
      throw new MidiError('bad-track', `bad track: expected a chunk at byte ${at}, found unreadable bytes`);
    }
    const id = chunkId(bytes, at);
    const length = readUint32BE(bytes, at + 4);
    const dataStart = at + 8;
    if (dataStart + length > bytes.length) {
      if (id !== 'MTrk' && !expectingTracks) break;
      throw new MidiError(
        'truncated',
        `truncated: chunk "${id}" at byte ${at} declares ${length} bytes but only ${bytes.length - dataStart} remain`,
      );
    }
    if (id === 'MTrk') {
      if (tracks.length === maxTracks) throw new MidiError('too-many-tracks', `too many tracks: over ${maxTracks} "MTrk" chunks (the header can declare at most 65,535)`);
      tracks.push(bytes.subarray(dataStart, dataStart + length));
    }
    else if (id.toUpperCase() === 'MTRK') throw new MidiError('bad-track', `bad track: damaged track header "${id}" at byte ${at}`);
    at = dataStart + length;
  }
  if (tracks.length === 0) throw new MidiError('bad-track', 'bad track: the file holds no "MTrk" track chunk');
  return { format: format as 0 | 1 | 2, declaredTracks, timing, tracks };
}
