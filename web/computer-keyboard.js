// The computer keyboard as a piano, laid out as trackers and DAWs do: the Z row plays the lower octave with its black
// keys on the A row, the Q row the upper octave with its black keys on the number row. Keys are physical positions
// (`KeyboardEvent.code`), so AZERTY and QWERTZ keyboards play the same places as QWERTY.

/** Each row from its C upwards, semitone by semitone; the rows run on past their octave as far as the keys go. */
const rows = [
  { lowest: 48, codes: ['KeyZ', 'KeyS', 'KeyX', 'KeyD', 'KeyC', 'KeyV', 'KeyG', 'KeyB', 'KeyH', 'KeyN', 'KeyJ', 'KeyM', 'Comma', 'KeyL', 'Period', 'Semicolon', 'Slash'] },
  { lowest: 60, codes: ['KeyQ', 'Digit2', 'KeyW', 'Digit3', 'KeyE', 'KeyR', 'Digit5', 'KeyT', 'Digit6', 'KeyY', 'Digit7', 'KeyU', 'KeyI', 'Digit9', 'KeyO', 'Digit0', 'KeyP'] },
];

const pitchByCode = new Map(rows.flatMap(({ lowest, codes }) => codes.map((code, step) => [code, lowest + step])));

/** The lowest and highest pitch the computer keyboard reaches (C3 to E5). */
export const computerKeyboardRange = { low: 48, high: 76 };

/**
 * The pitch a physical key plays, or undefined for a key that is not part of the piano.
 *
 * @example
 * pitchOfKey('KeyQ'); // 60, middle C
 * pitchOfKey('Space'); // undefined
 */
export function pitchOfKey(code) {
  return pitchByCode.get(code);
}

const symbols = { Comma: ',', Period: '.', Semicolon: ';', Slash: '/' };

/** What a key's cap shows on a QWERTY keyboard: "Q", "2", ",". */
function capOf(code) {
  return symbols[code] ?? code.replace(/^(Key|Digit)/, '');
}

/**
 * The key cap to print on each on-screen key; where two rows reach a pitch, the row whose octave it is (C4 is "Q", not ",").
 *
 * @example
 * keyCaps().get(61); // "2"
 */
export function keyCaps() {
  const caps = new Map();
  for (const { lowest, codes } of rows) {
    codes.forEach((code, step) => {
      const pitch = lowest + step;
      if (step < 12 || !caps.has(pitch)) caps.set(pitch, capOf(code));
    });
  }
  return caps;
}
