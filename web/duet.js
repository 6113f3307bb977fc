// Section 5: a duet. You play a phrase (on a MIDI keyboard, the computer keyboard or the on-screen keys); when you
// pause, rubato answers with a continuation of it, drawn after your notes and played on the piano (and the MIDI
// output); then it listens again. A key pressed while it thinks or plays cuts it short.
import { $ } from './api.js';
import { computerKeyboardRange, keyCaps, pitchOfKey } from './computer-keyboard.js';
import { warmUpAnswers } from './duet-request.js';
import { DuetSession } from './duet-session.js';
import { OnScreenKeyboard } from './on-screen-keyboard.js';
import { PianoRoll } from './piano-roll.js';

/** Velocity of a computer or on-screen key, which cannot tell soft from loud. */
const keyVelocity = 80;
const pauseRange = { min: 0.3, max: 3, default: 0.8 };
/** A note clicked in the roll sounds at most this long. */
const clickedNoteSeconds = 1.5;

const stateText = {
  off: 'Press Duet, then play.',
  listening: 'Listening: play a phrase, then pause.',
  playing: 'Your phrase… rubato answers when you pause.',
  thinking: 'rubato is thinking…',
  answering: 'rubato answers. Play a key to cut in.',
};

/** The panel's side of the session: status line, roll and the latency line. */
function duetView(panel, roll) {
  return {
    state(state) {
      panel.dataset.state = state;
      $('duet-status').textContent = stateText[state];
    },
    say(text) {
      $('duet-status').textContent = text;
    },
    exchange(notes) {
      roll.show(notes, { totalSeconds: Math.max(2, ...notes.map((note) => note.endSeconds)) });
    },
    answered(detail) {
      $('duet-status').textContent = `rubato answers: ${detail.notes} notes, ${detail.seconds.toFixed(1)} s. Play a key to cut in.`;
      $('duet-latency').textContent = `First answered note ${Math.round(detail.soundingMs - detail.pauseEndMs)} ms after your pause (the server took ${Math.round(detail.responseMs - detail.sentMs)} ms).`;
      panel.dispatchEvent(new CustomEvent('duet-answer', { detail }));
    },
  };
}

/** Plays the session from the computer keyboard while the duet is on, except while typing in a field. */
function listenToComputerKeys(session) {
  const held = new Map();
  const typing = (target) => target instanceof Element && target.closest('input, select, textarea, [contenteditable]');
  document.addEventListener('keydown', (event) => {
    const pitch = pitchOfKey(event.code);
    if (session.state === 'off' || pitch === undefined || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    if (event.repeat || held.has(event.code)) return;
    held.set(event.code, pitch);
    session.keyDown(pitch, keyVelocity, event.timeStamp);
  });
  const lift = (code, timeMs) => {
    const pitch = held.get(code);
    if (pitch === undefined) return;
    held.delete(code);
    session.keyUp(pitch, timeMs);
  };
  document.addEventListener('keyup', (event) => lift(event.code, event.timeStamp));
  // A key held while the window loses focus never sends its keyup.
  window.addEventListener('blur', () => {
    for (const code of [...held.keys()]) lift(code, performance.now());
  });
}

/**
 * Wires the duet panel. `piano` is the page's sampled piano; `midiOutput()` the chosen MIDI output or undefined.
 * Returns `receiveMidi(data, timeMs)` for the MIDI keyboard's messages. Each answer fires a `duet-answer` event on
 * the panel whose detail holds its timings (performance.now() ms), notes and seconds.
 *
 * @example
 * const duet = setUpDuet({ piano, midiOutput: () => undefined });
 * input.onmidimessage = (event) => duet.receiveMidi(event.data, event.timeStamp);
 */
export function setUpDuet({ piano, midiOutput }) {
  const panel = $('duet');
  const roll = new PianoRoll($('duet-roll'), (note) => piano.strike({ ...note, endSeconds: note.startSeconds + Math.min(clickedNoteSeconds, note.endSeconds - note.startSeconds) }));
  const pauseSeconds = () => {
    const value = Number($('duet-pause').value);
    return Number.isFinite(value) && value > 0 ? Math.min(pauseRange.max, Math.max(pauseRange.min, value)) : pauseRange.default;
  };
  const keyboard = new OnScreenKeyboard($('duet-keys'), {
    ...computerKeyboardRange,
    caps: keyCaps(),
    onPress: (pitch, timeMs) => session.keyDown(pitch, keyVelocity, timeMs),
    onRelease: (pitch, timeMs) => session.keyUp(pitch, timeMs),
  });
  const session = new DuetSession({ piano, keyboard, midiOutput, view: duetView(panel, roll), pauseSeconds });
  listenToComputerKeys(session);

  $('duet-start').addEventListener('click', async () => {
    if (session.state !== 'off') {
      session.stop();
      $('duet-start').setAttribute('aria-pressed', 'false');
      return;
    }
    $('duet-start').setAttribute('aria-pressed', 'true');
    session.start();
    $('duet-status').textContent = 'Loading the piano (5.6 MB of samples)…';
    warmUpAnswers();
    await piano.load().catch(() => {});
    if (session.state === 'listening') session.setState('listening');
  });
  $('duet-pause').value = String(pauseRange.default);
  session.setState('off');

  return {
    /** A MIDI keyboard's message: its keys and sustain pedal play as the computer keys do. */
    receiveMidi(data, timeMs) {
      const [status, first, second] = data;
      const kind = status & 0xf0;
      if (kind === 0x90 && second > 0) session.keyDown(first, second, timeMs);
      else if (kind === 0x80 || kind === 0x90) session.keyUp(first, timeMs);
      else if (kind === 0xb0 && first === 64) session.pedal(data, timeMs);
    },
  };
}
