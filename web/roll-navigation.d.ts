// Types of roll-navigation.js for the Node tests that import it (the page itself has no build step).
import type { RecordedNote } from './midi-messages.js';

export const navigationKeys: readonly string[];
export function noteAfterKey<T extends RecordedNote>(notes: readonly T[], current: T | undefined, key: string): T | undefined;
