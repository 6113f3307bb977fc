// Types of note-scheduler.js for the Node tests that import it (the page itself has no build step).
import type { RecordedNote } from './midi-messages.js';

export interface SchedulerVoice {
  press(pitch: number, velocity: number, time: number): void;
  release(pitch: number, time: number): void;
  cancel?(): void;
}
export class NoteScheduler {
  constructor(now: () => number, voices: readonly SchedulerVoice[]);
  play(notes: readonly RecordedNote[], startTime: number, onEnd?: () => void): void;
  stop(): void;
}
