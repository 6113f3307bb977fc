// The sampled grand piano: Salamander samples (one recorded velocity layer, served from node_modules) in Tone.js.

/** The samples the package ships: A0, then C, D#, F#, A of octaves 1–7, then C8 (every minor third). */
export const sampleNotes = ['A0', ...[1, 2, 3, 4, 5, 6, 7].flatMap((octave) => ['C', 'D#', 'F#', 'A'].map((name) => `${name}${octave}`)), 'C8'];
const sampleBase = '/vendor/piano/';

/**
 * A piano for the page: loads the samples on first use, plays a piece on Tone's transport (so Stop cancels what is
 * scheduled and the playhead reads the transport clock), and strikes single notes.
 *
 * The npm packages carry one recorded velocity layer, so soft playing is made as a piano sounds softly: quieter and
 * darker. Each note sounds on a bright and a low-passed copy of the same samples, mixed by velocity.
 */
export class Piano {
  constructor(onLoading) {
    this.onLoading = onLoading;
    this.ready = undefined;
    this.part = undefined;
    this.playing = false;
  }

  /** Loads the samples once (30 files, 5.6 MB); later calls share the same promise. */
  load() {
    this.ready ??= (async () => {
      this.onLoading(true);
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
      this.onLoading(false);
    })().catch((error) => {
      this.ready = undefined;
      this.onLoading(false, error);
      throw error;
    });
    return this.ready;
  }

  /** Sounds one note now or at a transport time; velocity 1..127. */
  strike(note, time = Tone.now()) {
    const name = Tone.Frequency(note.pitch, 'midi').toNote();
    const loudness = note.velocity / 127;
    const seconds = Math.max(0.05, note.endSeconds - note.startSeconds);
    this.bright.triggerAttackRelease(name, seconds, time, loudness * loudness);
    this.dark.triggerAttackRelease(name, seconds, time, loudness * (1 - loudness) + 0.05);
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
