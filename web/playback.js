// The piece on screen and in the speakers: the roll, the sampled piano, Play / Stop / zoom and the playhead.
import { $ } from './api.js';
import { PianoRoll } from './piano-roll.js';

/** A clicked note sounds for at most this long, so a stuck note does not drone on. */
const clickedNoteSeconds = 1.5;

/**
 * Wires the playback toolbar to the roll and the page's piano. `show` puts notes in the roll; Play plays what the roll shows.
 *
 * @example
 * const playback = setUpPlayback(new Piano());
 * playback.show(piece.notes, { totalSeconds: piece.totalSeconds, primerSeconds: 0 });
 */
export function setUpPlayback(piano) {
  let notes = [];
  piano.onLoading((loading, error) => {
    $('piano-status').textContent = error ? `The piano samples did not load: ${error.message ?? error}` : loading ? 'Loading the piano (5.6 MB of samples)…' : 'Piano ready.';
    $('play').disabled = loading || notes.length === 0;
  });
  const roll = new PianoRoll($('roll'), async (note) => {
    await piano.load();
    piano.strike({ ...note, endSeconds: note.startSeconds + Math.min(clickedNoteSeconds, note.endSeconds - note.startSeconds) });
  });

  const followPlayhead = () => {
    const seconds = piano.position();
    roll.moveTo(seconds);
    if (seconds !== undefined) requestAnimationFrame(followPlayhead);
  };
  const stop = () => {
    piano.stop();
    roll.moveTo(undefined);
    $('stop').disabled = true;
  };
  $('play').addEventListener('click', async () => {
    $('play').disabled = true;
    try {
      await piano.play(notes, stop);
      $('stop').disabled = false;
      followPlayhead();
    } catch {
      // The piano's status line already says what failed.
    } finally {
      $('play').disabled = notes.length === 0;
    }
  });
  $('stop').addEventListener('click', stop);
  for (const [id, factor] of [['zoom-in', 2], ['zoom-out', 0.5], ['zoom-fit', 0]]) $(id).addEventListener('click', () => roll.zoomBy(factor));

  return {
    show(shown, options) {
      stop();
      notes = shown;
      roll.show(shown, options);
      $('play').disabled = notes.length === 0;
    },
    stop,
  };
}
