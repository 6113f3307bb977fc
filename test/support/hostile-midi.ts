import { chunk, noteOff, noteOn, endOfTrack } from './midi-bytes.js';

/**
 * A hostile upload from issue 10: a valid header, one real track, then as many empty `MTrk` chunks (8 bytes each) as
 * fit in `totalBytes` — about 655 k of them in 5 MiB. Parsing must stay cheap per track.
 */
export function manyEmptyTracksFile(totalBytes = 5 * 1024 * 1024): Uint8Array {
  const header = chunk('MThd', [0, 1, 0xff, 0xff, 0x01, 0xe0]);
  const track = chunk('MTrk', [...noteOn(0, 0, 60, 80), ...noteOff(480, 0, 60), ...endOfTrack()]);
  const emptyTracks = Math.floor((totalBytes - header.length - track.length) / 8);
  const bytes = new Uint8Array(header.length + track.length + emptyTracks * 8);
  bytes.set(header);
  bytes.set(track, header.length);
  const empty = chunk('MTrk', []);
  for (let at = header.length + track.length; at < bytes.length; at += 8) bytes.set(empty, at);
  return bytes;
}

/**
 * A 5 MiB single track of ≈1.7 M events (running status, one tick apart): under every limit, so it is parsed and
 * tokenized in full — the most work one upload can ask for.
 */
export function denseNotesFile(totalBytes = 5 * 1024 * 1024): Uint8Array {
  const header = chunk('MThd', [0, 0, 0, 1, 0x01, 0xe0]);
  const body: number[] = [0x00, 0x90, 60, 80];
  for (let i = 0; body.length + 8 < totalBytes - header.length - 8; i++) body.push(0x01, 48 + (i % 36), i % 2 === 0 ? 0 : 80);
  body.push(...endOfTrack());
  return new Uint8Array([...header, ...chunk('MTrk', body)]);
}
