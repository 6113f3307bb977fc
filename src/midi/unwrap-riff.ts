import { MidiError } from './midi-error.js';

const fourCC = (bytes: Uint8Array, at: number): string =>
  String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);

const readUint32LE = (bytes: Uint8Array, at: number): number =>
  (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;

/**
 * Return the Standard MIDI File inside `bytes`: the bytes themselves when they start with `MThd`,
 * or the `data` chunk of a RIFF `RMID` wrapper (`.rmi`). Anything else is not MIDI.
 *
 * @example
 * const smf = unwrapRiff(readFileSync('Beethoven.rmi')); // smf starts with "MThd"
 */
export function unwrapRiff(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 4 && fourCC(bytes, 0) === 'MThd') return bytes;
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'RMID') {
    throw new MidiError('not-midi', 'not a MIDI file: it starts with neither "MThd" nor a RIFF "RMID" header');
  }
  // RIFF sub-chunks: 4-byte id, little-endian length, data padded to an even length.
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = fourCC(bytes, at);
    const length = readUint32LE(bytes, at + 4);
    const dataStart = at + 8;
    if (id === 'data') {
      if (dataStart + length > bytes.length) {
        throw new MidiError('truncated', `RIFF "data" chunk declares ${length} bytes but only ${bytes.length - dataStart} remain`);
      }
      const smf = bytes.subarray(dataStart, dataStart + length);
      if (smf.length < 4 || fourCC(smf, 0) !== 'MThd') {
        throw new MidiError('not-midi', 'RIFF "RMID" file whose "data" chunk is not a Standard MIDI File');
      }
      return smf;
    }
    at = dataStart + length + (length & 1);
  }
  throw new MidiError('not-midi', 'RIFF "RMID" file without a "data" chunk');
}
