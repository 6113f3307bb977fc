// Types of duet-phrase.js for the Node tests that import it (the page itself has no build step).
import type { RecordedNote } from './midi-messages.js';

export interface PrimerNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}
export const answerSecondsRange: { min: number; max: number };
export const primerNotesSent: number;
export const restBeforeAnswerSeconds: number;
export function answerSecondsFor(phraseNotes: readonly RecordedNote[]): number;
export function primerOf(phraseNotes: readonly RecordedNote[]): PrimerNote[];
export function answerOf(pieceNotes: readonly RecordedNote[], primerSeconds: number, primer: readonly PrimerNote[], seconds: number): RecordedNote[];
