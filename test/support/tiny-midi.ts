import { noteOff, noteOn, singleTrackFile } from './midi-bytes.js';

/**
 * A small valid piano file: `notes` notes of a rising scale, a quarter note each. `variant` shifts the pitches so
 * several files have different content (and digests).
 */
export function scaleMidi(notes = 16, variant = 0): Uint8Array {
  const events: number[][] = [];
  for (let index = 0; index < notes; index++) {
    const pitch = 48 + ((index * 2 + variant) % 36);
    events.push(noteOn(0, 0, pitch, 64 + (index % 40)), noteOff(480, 0, pitch));
  }
  return singleTrackFile(...events);
}
