// The sampled grand piano: Salamander samples (one recorded velocity layer, served from node_modules) in Tone.js.

/** The samples the package ships: A0, then C, D#, F#, A of octaves 1–7, then C8 (every minor third). */
export const sampleNotes = ['A0', ...[1, 2, 3, 4, 5, 6, 7].flatMap((octave) => ['C', 'D#', 'F#', 'A'].map((name) => `${name}${octave}`)), 'C8'];
const sampleBase = '/vendor/piano/';

const noteName = (pitch) => Tone.Frequency(pitch, 'midi').toNote();

/** Gains of the bright and the darkened layer for a velocity (1..127): soft playing is quieter and darker. */
function layerGains(velocity) {
  const loudness = velocity / 127;
  return { bright: loudness * loudness, dark: loudness * (1 - loudness) + 0.05 };
}

/**
 * A piano for the page: loads the samples on first use, plays a piece on Tone's transport (so Stop cancels what is
 * scheduled and the playhead reads the transport clock), and strikes single notes.
 *
 * The npm packages carry one recorded velocity layer, so soft playing is made as a piano sounds softly: quieter and
 * darker. Each note sounds on a bright and a low-passed copy of the same samples, mixed by velocity.
 */
export class Piano {
  constructor() {
    this.loadingListeners = [];
    this.ready = undefined;
    this.part = undefined;
    this.playing = false;
  }

  /** `listener(loading, error)` hears when the samples start and finish loading (each panel shows it its own way). */
  onLoading(listener) {
    this.loadingListeners.push(listener);
  }

  notifyLoading(loading, error) {
    for (const listener of this.loadingListeners) listener(loading, error);
  }

  /** Loads the samples once (30 files, 5.6 MB); later calls share the same promise. */
  load() {
    this.ready ??= (async () => {
      this.notifyLoading(true);
      await Tone.start();
      const buffers = await new Promise((resolve, reject) => {
        const loaded = new Tone.ToneAudioBuffers({
          urls: Object.fromEntries(sampleNotes.map((note) => [note, `${encodeURIComponent(`${note}v10.mp3`)}`])),
          baseUrl: sampleBase,
          onload: () => resolve(loaded),
          onerror: reject,
        });
      });
      const urls = Object.fromEntries(sampleNotes.map((note) => [note, buffers.get(note)]));
      const output = new Tone.Gain(0.8).toDestination();
      this.bright = new Tone.Sampler({ urls, release: 1.2 }).connect(output);
      this.dark = new Tone.Sampler({ urls, release: 1.2 }).connect(new Tone.Filter(900, 'lowpass').connect(output));
      this.notifyLoading(false);
    })().catch((error) => {
      this.ready = undefined;
      this.notifyLoading(false, error);
      throw error;
    });
    return this.ready;
  }

  /** Sounds one note now or at a transport time; velocity 1..127. */
  strike(note, time = Tone.now()) {
    const seconds = Math.max(0.05, note.endSeconds - note.startSeconds);
    const { bright, dark } = layerGains(note.velocity);
    this.bright.triggerAttackRelease(noteName(note.pitch), seconds, time, bright);
    this.dark.triggerAttackRelease(noteName(note.pitch), seconds, time, dark);
  }

  /**
   * Starts a note at an audio-clock time (default: at once, without Tone's look-ahead) that sounds until
   * {@link release}: keys played live, and answers that a key press must be able to cut short. No-op before load().
   */
  press(pitch, velocity, time = Tone.immediate()) {
    if (!this.bright) return;
    const { bright, dark } = layerGains(velocity);
    this.bright.triggerAttack(noteName(pitch), time, bright);
    this.dark.triggerAttack(noteName(pitch), time, dark);
  }

  release(pitch, time = Tone.immediate()) {
    this.bright?.triggerRelease(noteName(pitch), time);
    this.dark?.triggerRelease(noteName(pitch), time);
  }

  /** The audio clock (seconds) that press() and release() times are on. */
  now() {
    return Tone.immediate();
  }

  /** Plays notes from the start; `onEnd` runs after the last one has rung out. */
  async play(notes, onEnd) {
    await this.load();
    this.stop();
    const transport = Tone.getTransport();
    this.part = new Tone.Part((time, note) => this.strike(note, time), notes.map((note) => [note.startSeconds, note])).start(0);
    const end = Math.max(0, ...notes.map((note) => note.endSeconds)) + 1;
    transport.scheduleOnce(() => setTimeout(onEnd, 0), end);
    transport.start('+0.05');
    this.playing = true;
  }

  stop() {
    this.playing = false;
    const transport = Tone.getTransport();
    transport.stop();
    transport.cancel();
    transport.seconds = 0;
    this.part?.dispose();
    this.part = undefined;
    this.bright?.releaseAll();
    this.dark?.releaseAll();
  }

  /** Seconds into the piece while playing (0 until the transport starts), undefined when stopped. */
  position() {
    return this.playing ? Math.max(0, Tone.getTransport().seconds) : undefined;
  }
}
