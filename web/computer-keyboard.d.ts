// Types of computer-keyboard.js for the Node tests that import it (the page itself has no build step).
export const computerKeyboardRange: { low: number; high: number };
export function pitchOfKey(code: string): number | undefined;
export function keyCaps(): Map<number, string>;
