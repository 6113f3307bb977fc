// Types of primer-span.js for the Node tests that import it (the page itself has no build step).
import type { RecordedNote } from './midi-messages.js';

export function primerEndInPiece(primerNotes: readonly RecordedNote[], pieceNotes: readonly RecordedNote[]): number;
