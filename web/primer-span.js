// Where the primer ends inside a generated piece: the server returns primer + continuation as one MIDI file.

const tolerance = 0.02;
/** Primer notes compared: the server keeps only the primer's tail, and this bounds the work. */
const tailNotes = 64;

/**
 * Seconds into `pieceNotes` at which the primer ends (0 without a primer): the end of the primer's last note, found
 * by the alignment of the primer's tail that matches the most notes by pitch and onset.
 */
export function primerEndInPiece(primerNotes, pieceNotes) {
  if (primerNotes.length === 0) return 0;
  const tail = [...primerNotes].sort((a, b) => a.startSeconds - b.startSeconds).slice(-tailNotes);
  const last = tail[tail.length - 1];
  let best = { matches: 0, end: 0 };
  for (const candidate of pieceNotes) {
    const shift = last.startSeconds - candidate.startSeconds;
    if (candidate.pitch !== last.pitch || shift < -tolerance) continue;
    const matches = tail.filter((p) => pieceNotes.some((o) => o.pitch === p.pitch && Math.abs(o.startSeconds + shift - p.startSeconds) < tolerance)).length;
    if (matches > best.matches) best = { matches, end: candidate.endSeconds };
  }
  return best.end;
}
