import type { Note } from '../../../src/midi/note-sequence.js';
import { velocityBin } from '../../../src/tokens/performance-ids.js';

export interface NoteMatch {
  /** Original notes with a decoded note of the same pitch and velocity bin within the tolerance. */
  matched: number;
  /** Original notes whose nearest same-pitch onset was found but in another velocity bin. */
  wrongVelocity: number;
  /** Decoded notes that no original note claimed. */
  extra: number;
  total: number;
}

/**
 * Pairs each original note (in onset order) with the nearest unclaimed decoded note of the same pitch whose onset is
 * within `toleranceSeconds`; a pair counts as matched when the velocity bins agree too.
 */
export function matchNotes(original: readonly Note[], decoded: readonly Note[], toleranceSeconds: number): NoteMatch {
  const byPitch = new Map<number, Note[]>();
  for (const note of decoded) {
    const list = byPitch.get(note.pitch);
    if (list) list.push(note);
    else byPitch.set(note.pitch, [note]);
  }
  for (const list of byPitch.values()) list.sort((a, b) => a.startSeconds - b.startSeconds);
  const claimed = new Set<Note>();
  const firstCandidate = new Map<number, number>();
  let matched = 0;
  let wrongVelocity = 0;
  const ordered = [...original].sort((a, b) => a.startSeconds - b.startSeconds);
  for (const note of ordered) {
    const list = byPitch.get(note.pitch) ?? [];
    let start = firstCandidate.get(note.pitch) ?? 0;
    while (start < list.length && list[start].startSeconds < note.startSeconds - toleranceSeconds) start++;
    firstCandidate.set(note.pitch, start);
    let best: Note | undefined;
    for (let i = start; i < list.length && list[i].startSeconds <= note.startSeconds + toleranceSeconds; i++) {
      const candidate = list[i];
      const distance = Math.abs(candidate.startSeconds - note.startSeconds);
      if (!claimed.has(candidate) && (!best || distance < Math.abs(best.startSeconds - note.startSeconds))) best = candidate;
    }
    if (!best) continue;
    claimed.add(best);
    if (velocityBin(best.velocity) === velocityBin(note.velocity)) matched++;
    else wrongVelocity++;
  }
  return { matched, wrongVelocity, extra: decoded.length - claimed.size, total: original.length };
}
