// The duet's on-screen piano: its keys carry the computer keys that play them, mouse, pen and touch play them too,
// and it shows every key that is down, whoever plays it (you, or rubato answering).
import { noteName } from './piano-roll.js';

const blackSteps = new Set([1, 3, 6, 8, 10]);
/** A black key's width as a share of a white key's. */
const blackShare = 0.6;

/**
 * Keys from `low` to `high`, laid out in percentages so the keyboard fits any width. `onPress(pitch, timeMs)` and
 * `onRelease(pitch, timeMs)` hear the pointer; each pointer holds the key it went down on until it lifts.
 *
 * @example
 * const keys = new OnScreenKeyboard(element, { low: 48, high: 76, caps: keyCaps(), onPress, onRelease });
 * keys.show(60, 'player', true);
 */
export class OnScreenKeyboard {
  constructor(root, { low, high, caps, onPress, onRelease }) {
    this.keys = new Map();
    const pitches = Array.from({ length: high - low + 1 }, (_, i) => low + i);
    const whiteWidth = 100 / pitches.filter((pitch) => !blackSteps.has(pitch % 12)).length;
    let whites = 0;
    for (const pitch of pitches) {
      const black = blackSteps.has(pitch % 12);
      const key = document.createElement('div');
      key.className = black ? 'key black' : 'key white';
      key.dataset.pitch = String(pitch);
      const width = black ? whiteWidth * blackShare : whiteWidth;
      const left = black ? whites * whiteWidth - width / 2 : whites * whiteWidth;
      Object.assign(key.style, { left: `${left}%`, width: `${width}%` });
      if (!black) whites += 1;
      const cap = caps.get(pitch);
      key.title = cap ? `${noteName(pitch)} (computer key ${cap})` : noteName(pitch);
      if (cap) key.append(Object.assign(document.createElement('span'), { className: 'cap', textContent: cap }));
      this.keys.set(pitch, key);
    }
    root.replaceChildren(...this.keys.values());

    const held = new Map();
    root.addEventListener('pointerdown', (event) => {
      const pitch = Number(event.target.closest('.key')?.dataset.pitch);
      if (!Number.isInteger(pitch)) return;
      // No text selection, focus change or (on touch) scrolling while a key is held.
      event.preventDefault();
      root.setPointerCapture(event.pointerId);
      held.set(event.pointerId, pitch);
      onPress(pitch, event.timeStamp);
    });
    const lift = (event) => {
      const pitch = held.get(event.pointerId);
      if (pitch === undefined) return;
      held.delete(event.pointerId);
      onRelease(pitch, event.timeStamp);
    };
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) root.addEventListener(type, lift);
  }

  /** Marks a key down or up for one voice ('player' or 'answer'); a key down for both shows as both. */
  show(pitch, voice, down) {
    this.keys.get(pitch)?.classList.toggle(voice, down);
  }
}
