// The duet's turn-taking, apart from the page: whose turn it is, what a key does to it, and when rubato answers.
import { requestAnswer } from './duet-request.js';
import { keyboardVoice, midiVoice } from './duet-voices.js';
import { PrimerRecorder } from './midi-messages.js';
import { NoteScheduler } from './note-scheduler.js';

/** The first answered note sounds this long after it is scheduled: time for the audio thread to pick it up. */
const startMarginSeconds = 0.01;

/**
 * A duet: 'off' → 'listening' → 'playing' (your phrase) → 'thinking' (the pause has passed, the request is out) →
 * 'answering' → 'listening'. A key pressed while rubato thinks cancels the request and goes on with the phrase;
 * one pressed while it answers silences it and starts a new phrase.
 *
 * `view` shows it: `state(state)`, `say(text)` (what went wrong), `exchange(notes)` (your phrase and the answer, `voice`
 * 'player' or 'answer', on one time line from your first note) and `answered(detail)` (timings in performance.now()
 * ms, notes, seconds). `pauseSeconds()` is the pause that ends a phrase;
 * `midiOutput()` the MIDI output the answer also goes to, or undefined.
 *
 * @example
 * const duet = new DuetSession({ piano, keyboard, midiOutput: () => undefined, view, pauseSeconds: () => 0.8 });
 * duet.start();
 * duet.keyDown(60, 80, performance.now());
 */
export class DuetSession {
  constructor({ piano, keyboard, midiOutput, view, pauseSeconds }) {
    Object.assign(this, { piano, keyboard, midiOutput, view, pauseSeconds });
    this.state = 'off';
    /** The phrase being played (a PrimerRecorder), until its answer arrives. */
    this.recorder = undefined;
    /** The phrase last answered, when its first key went down (performance.now() ms), its answer and when that sounded (seconds after). */
    this.phrase = [];
    this.originMs = 0;
    this.answer = [];
    this.answerAt = 0;
    this.pauseTimer = undefined;
    this.request = undefined;
    this.scheduler = undefined;
  }

  setState(state) {
    this.state = state;
    this.view.state(state);
  }

  start() {
    this.setState('listening');
  }

  stop() {
    this.interrupt();
    clearTimeout(this.pauseTimer);
    this.recorder = undefined;
    this.setState('off');
  }

  /** Stops rubato: a request in flight is cancelled, an answer playing falls silent. */
  interrupt() {
    this.request?.abort();
    this.request = undefined;
    this.scheduler?.stop();
    this.scheduler = undefined;
  }

  keyDown(pitch, velocity, timeMs) {
    if (this.state === 'off') return;
    this.interrupt();
    clearTimeout(this.pauseTimer);
    if (!this.recorder) {
      this.recorder = new PrimerRecorder();
      this.answer = [];
    }
    this.recorder.receive([0x90, pitch, velocity], timeMs);
    this.piano.press(pitch, velocity);
    this.keyboard.show(pitch, 'player', true);
    this.setState('playing');
    this.draw();
  }

  keyUp(pitch, timeMs) {
    this.piano.release(pitch);
    this.keyboard.show(pitch, 'player', false);
    if (this.state === 'off' || !this.recorder) return;
    this.recorder.receive([0x80, pitch, 0], timeMs);
    this.draw();
    this.waitForPause(timeMs);
  }

  /** The sustain pedal (a MIDI control change 64): keys it holds keep the phrase going. */
  pedal(data, timeMs) {
    if (this.state === 'off' || !this.recorder) return;
    this.recorder.receive(data, timeMs);
    this.waitForPause(timeMs);
  }

  /** Once no key is down (nor held by the pedal), answers when the pause has passed with none pressed. */
  waitForPause(lastReleaseMs) {
    if (this.recorder.held.size > 0) return;
    clearTimeout(this.pauseTimer);
    const pauseEndMs = lastReleaseMs + this.pauseSeconds() * 1000;
    this.pauseTimer = setTimeout(() => this.answerPhrase(pauseEndMs), Math.max(0, pauseEndMs - performance.now()));
  }

  async answerPhrase(pauseEndMs) {
    const recorder = this.recorder;
    const phrase = recorder.notes(performance.now());
    const request = new AbortController();
    this.request = request;
    this.setState('thinking');
    try {
      const { notes, sentMs, responseMs } = await requestAnswer(phrase, request.signal);
      this.request = undefined;
      Object.assign(this, { phrase, originMs: recorder.originMs, recorder: undefined });
      this.play(notes, { pauseEndMs, sentMs, responseMs });
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.request = undefined;
      this.setState('listening');
      this.view.say(`rubato could not answer: ${error.message}. Play again to retry.`);
    }
  }

  /** Plays the answer at once on the piano, the on-screen keys and the MIDI output, and draws it after the phrase. */
  play(notes, timings) {
    this.answer = notes;
    if (notes.length === 0) {
      this.setState('listening');
      return this.view.say('rubato had nothing to add: play another phrase.');
    }
    const { piano } = this;
    const output = this.midiOutput();
    this.scheduler = new NoteScheduler(() => piano.now(), [piano, keyboardVoice(this.keyboard, piano), ...(output ? [midiVoice(output, piano)] : [])]);
    const startTime = piano.now() + startMarginSeconds;
    this.setState('answering');
    this.scheduler.play(notes, startTime, () => this.setState('listening'));
    const scheduledMs = performance.now();
    const soundingMs = scheduledMs + (startTime - piano.now()) * 1000;
    this.answerAt = (soundingMs - this.originMs) / 1000;
    this.draw();
    this.view.answered({ ...timings, scheduledMs, soundingMs, notes: notes.length, seconds: Math.max(...notes.map((note) => note.endSeconds)) });
  }

  draw() {
    const played = this.recorder ? this.recorder.notes(performance.now()) : this.phrase;
    const shift = (note) => ({ ...note, startSeconds: note.startSeconds + this.answerAt, endSeconds: note.endSeconds + this.answerAt, voice: 'answer' });
    this.view.exchange([...played.map((note) => ({ ...note, voice: 'player' })), ...this.answer.map(shift)]);
  }
}
