// Where the duet's answer sounds besides the sampled piano: voices for the note scheduler (see note-scheduler.js).

/**
 * A MIDI output as a scheduler voice: audio-clock times (`clock.now()`, seconds) become Web MIDI timestamps.
 *
 * @example
 * new NoteScheduler(() => piano.now(), [piano, midiVoice(output, piano)]);
 */
export function midiVoice(output, clock) {
  const timestamp = (time) => performance.now() + (time - clock.now()) * 1000;
  return {
    press: (pitch, velocity, time) => output.send([0x90, pitch, velocity], timestamp(time)),
    release: (pitch, time) => output.send([0x80, pitch, 0], timestamp(time)),
    // Messages already handed over for later would otherwise still play after a key press cut the answer.
    cancel: () => output.clear?.(),
  };
}

/**
 * The on-screen keyboard as a scheduler voice: rubato's keys go down and up as its notes sound.
 *
 * @example
 * new NoteScheduler(() => piano.now(), [piano, keyboardVoice(keyboard, piano)]);
 */
export function keyboardVoice(keyboard, clock) {
  const pending = new Set();
  const at = (time, action) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      action();
    }, Math.max(0, (time - clock.now()) * 1000));
    pending.add(timer);
  };
  return {
    press: (pitch, _velocity, time) => at(time, () => keyboard.show(pitch, 'answer', true)),
    release: (pitch, time) => at(time, () => keyboard.show(pitch, 'answer', false)),
    cancel: () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
