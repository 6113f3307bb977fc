// Types of midi-messages.js for the Node tests that import it (the page itself has no build step).
export interface RecordedNote {
  pitch: number;
  velocity: number;
  startSeconds: number;
  endSeconds: number;
}
export interface TimedMessage {
  data: number[];
  timestamp: number;
}
export function noteMessages(notes: readonly RecordedNote[], startMs: number, channel?: number): TimedMessage[];
export function silenceMessages(): number[][];
export function midiFileOf(notes: readonly RecordedNote[]): Uint8Array;
export class PrimerRecorder {
  receive(data: ArrayLike<number>, timeMs: number): void;
  notes(nowMs: number): RecordedNote[];
}
