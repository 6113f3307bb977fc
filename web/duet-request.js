// Asking the server for the duet's answer: the phrase goes as POST /generate's JSON primer, and only the new notes
// of the MIDI that comes back are kept.
import { errorOf, jsonOf } from './api.js';
import { answerOf, answerSecondsFor, answerSecondsRange, primerOf, restBeforeAnswerSeconds } from './duet-phrase.js';

const json = { 'content-type': 'application/json' };

/**
 * rubato's answer to a phrase (notes from 0 s, the first at 0), and when its request went out and came back
 * (performance.now() ms). `signal` cancels it; throws the server's error message otherwise.
 *
 * @example
 * const { notes } = await requestAnswer(phraseNotes, new AbortController().signal);
 */
export async function requestAnswer(phrase, signal) {
  const sentMs = performance.now();
  const primer = primerOf(phrase);
  // The pause came with every key let go: the phrase stops after its last release, so no note of it is taken as still
  // held at the join (by default the notes that end last would be, as at a cut from a performance).
  const primerEnd = Math.max(...primer.map((note) => note.end)) + 0.05;
  const seconds = answerSecondsFor(phrase);
  const body = JSON.stringify({ primer, primerEnd, seconds: seconds + restBeforeAnswerSeconds });
  const response = await fetch('/generate', { method: 'POST', headers: json, body, signal });
  if (!response.ok) throw await errorOf(response);
  const responseMs = performance.now();
  const primerSeconds = Number(response.headers.get('x-rubato-primer-seconds'));
  const midi = await response.arrayBuffer();
  const piece = await jsonOf(await fetch('/api/notes', { method: 'POST', body: midi, headers: { 'content-type': 'audio/midi' }, signal }));
  return { notes: answerOf(piece.notes, primerSeconds, primer, seconds), sentMs, responseMs };
}

/**
 * A server thread loads its model on its first request (over a second) and samples slowly until warm; two short
 * requests at once, while the piano loads and before the first phrase, do that for both threads of a small machine
 * so the first answer is as prompt as the next.
 */
export function warmUpAnswers() {
  const primer = [60, 64, 67, 72].map((pitch, index) => ({ pitch, start: index * 0.25, end: index * 0.25 + 0.2, velocity: 80 }));
  const body = JSON.stringify({ seconds: answerSecondsRange.min, primer });
  for (let i = 0; i < 2; i++) fetch('/generate', { method: 'POST', headers: json, body }).catch(() => {});
}
