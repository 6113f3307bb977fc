// Plays notes a little ahead of the audio clock on one or more voices (the sampled piano, a MIDI output), so that
// the first note goes out the moment play() is called and stop() silences the rest at once.

/** How far ahead of the clock notes are handed to the voices, and how often the scheduler looks (a timer's jitter). */
const lookaheadSeconds = 0.08;
const intervalMs = 20;

/**
 * Schedules note-ons and note-offs on voices that play at a given time of one clock (`now()`, seconds); a voice is
 * `{ press(pitch, velocity, time), release(pitch, time) }`, with `cancel()` when it can drop messages it has already
 * been handed for later (a MIDI output's `clear()`). Notes ahead of the look-ahead window are not handed out
 * yet, so stop() can still take them back; the ones sounding are released at once.
 *
 * @example
 * const scheduler = new NoteScheduler(() => Tone.immediate(), [piano]);
 * scheduler.play(answer, Tone.immediate() + 0.01, () => console.log('done'));
 */
export class NoteScheduler {
  constructor(now, voices) {
    this.now = now;
    this.voices = voices;
    this.timer = undefined;
    // Pitch → the time its note-off was handed over (Infinity until then): what stop() must still release, since a
    // voice's cancel() may drop a note-off handed over for later.
    this.releases = new Map();
  }

  /** Plays `notes` (seconds from their start) from `startTime` on the clock; `onEnd` runs once the last note-off is handed over. */
  play(notes, startTime, onEnd = () => {}) {
    this.stop();
    this.releases.clear();
    // Releases before strikes at the same time, so a repeated pitch sounds again.
    this.events = notes
      .flatMap((note) => [
        { time: startTime + note.startSeconds, on: true, note },
        { time: startTime + note.endSeconds, on: false, note },
      ])
      .sort((a, b) => a.time - b.time || Number(a.on) - Number(b.on));
    this.next = 0;
    this.onEnd = onEnd;
    this.timer = setInterval(() => this.dispatch(), intervalMs);
    this.dispatch();
  }

  /** Hands the voices every event inside the look-ahead window; ends the play when none is left. */
  dispatch() {
    const horizon = this.now() + lookaheadSeconds;
    while (this.next < this.events.length && this.events[this.next].time <= horizon) {
      const { time, on, note } = this.events[this.next++];
      for (const voice of this.voices) {
        if (on) voice.press(note.pitch, note.velocity, time);
        else voice.release(note.pitch, time);
      }
      this.releases.set(note.pitch, on ? Infinity : time);
    }
    if (this.next < this.events.length) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.onEnd();
  }

  /** Releases what sounds (or is about to) and drops what is left; onEnd is not called. */
  stop() {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    const time = this.now();
    for (const voice of this.voices) voice.cancel?.();
    for (const [pitch, releaseTime] of this.releases) {
      if (releaseTime > time) for (const voice of this.voices) voice.release(pitch, time);
    }
    this.releases.clear();
  }
}
