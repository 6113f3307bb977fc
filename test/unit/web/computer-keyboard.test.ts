import { describe, expect, it } from 'vitest';
import { computerKeyboardRange, keyCaps, pitchOfKey } from '../../../web/computer-keyboard.js';

describe('computer keyboard', () => {
  it('plays C3 up on the Z row with black keys on the A row, C4 up on the Q row with black keys on the number row', () => {
    expect(['KeyZ', 'KeyS', 'KeyX', 'KeyD', 'KeyC', 'KeyV', 'KeyG', 'KeyB', 'KeyH', 'KeyN', 'KeyJ', 'KeyM'].map(pitchOfKey)).toEqual([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(['KeyQ', 'Digit2', 'KeyW', 'Digit3', 'KeyE', 'KeyR', 'Digit5', 'KeyT', 'Digit6', 'KeyY', 'Digit7', 'KeyU', 'KeyI'].map(pitchOfKey)).toEqual([60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72]);
    expect([pitchOfKey('Comma'), pitchOfKey('KeyP')]).toEqual([60, computerKeyboardRange.high]);
  });

  it('ignores keys that are not part of the piano (the A row\'s white-key places, space, digits 1, 4 and 8)', () => {
    expect(['KeyA', 'KeyF', 'KeyK', 'Space', 'Digit1', 'Digit4', 'Digit8', 'Enter'].map(pitchOfKey)).toEqual(Array(8).fill(undefined));
  });

  it('prints one cap on every on-screen key, the row whose octave it is where two rows reach a pitch', () => {
    const caps = keyCaps();
    const { low, high } = computerKeyboardRange;
    expect([...caps.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: high - low + 1 }, (_, i) => low + i));
    expect([caps.get(48), caps.get(59), caps.get(60), caps.get(61), caps.get(76)]).toEqual(['Z', 'M', 'Q', '2', 'P']);
  });
});
