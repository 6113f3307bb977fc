import type { PedalChange, TickNote } from './tick-note.js';

/** Ticks where a channel's pedal goes down, and where it comes up again (parallel arrays). */
interface PedalSpans {
  downTicks: number[];
  upTicks: number[];
}

function pedalSpans(changes: PedalChange[], endTick: number): PedalSpans {
  const sorted = [...changes].sort((a, b) => a.tick - b.tick);
  const spans: PedalSpans = { downTicks: [], upTicks: [] };
  let downSince = -1;
  for (const change of sorted) {
    if (change.down && downSince < 0) downSince = change.tick;
    else if (!change.down && downSince >= 0) {
      spans.downTicks.push(downSince);
      spans.upTicks.push(change.tick);
      downSince = -1;
    }
  }
  if (downSince >= 0) {
    spans.downTicks.push(downSince);
    spans.upTicks.push(Math.max(endTick, downSince));
  }
  return spans;
}

/** Index of the last span starting at or before `tick`, or -1. */
function lastSpanAtOrBefore(downTicks: number[], tick: number): number {
  let low = 0;
  let high = downTicks.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (downTicks[middle] <= tick) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/**
 * Apply the sustain pedal in place: a note released while its channel's pedal is down keeps
 * sounding until the pedal comes up (or until `endTick` if it never does). Pedal messages from
 * every track count for their channel, as a synthesizer would hear them.
 *
 * @example
 * applySustainPedal(builder.notes, builder.pedals, lastTick);
 */
export function applySustainPedal(notes: TickNote[], pedalsByChannel: PedalChange[][], endTick: number): void {
  const spansByChannel = pedalsByChannel.map((changes) => (changes.length > 0 ? pedalSpans(changes, endTick) : undefined));
  for (const note of notes) {
    const spans = spansByChannel[note.channel];
    if (spans === undefined) continue;
    const span = lastSpanAtOrBefore(spans.downTicks, note.endTick);
    if (span >= 0 && note.endTick < spans.upTicks[span]) note.endTick = spans.upTicks[span];
  }
}
