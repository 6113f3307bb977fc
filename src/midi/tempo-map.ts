import type { SmfTiming } from './smf-chunks.js';
import type { TempoChange } from './tick-note.js';

const defaultMicrosecondsPerQuarter = 500_000; // 120 BPM, as the standard says when no tempo is set

/** Converts ticks to seconds; ticks stay the source of truth. */
export type TicksToSeconds = (tick: number) => number;

/**
 * Build the tick → seconds conversion of a file. Quarter-note timing follows the tempo changes
 * of all tracks (the last one wins at equal ticks); SMPTE timing is absolute and ignores tempo.
 * ("29" frames/s is 30 drop-frame, i.e. 29.97 frames/s.)
 *
 * @example
 * const toSeconds = createTempoMap({ kind: 'ppq', ticksPerQuarter: 480 }, []); toSeconds(960) // 1
 */
export function createTempoMap(timing: SmfTiming, tempos: TempoChange[]): TicksToSeconds {
  if (timing.kind === 'smpte') {
    const framesPerSecond = timing.framesPerSecond === 29 ? 30_000 / 1001 : timing.framesPerSecond;
    const secondsPerTick = 1 / (framesPerSecond * timing.ticksPerFrame);
    return (tick) => tick * secondsPerTick;
  }
  const sorted = [...tempos].sort((a, b) => a.tick - b.tick);
  const startTicks = [0];
  const startSeconds = [0];
  const secondsPerTick = [defaultMicrosecondsPerQuarter / 1e6 / timing.ticksPerQuarter];
  for (const tempo of sorted) {
    const last = startTicks.length - 1;
    startSeconds.push(startSeconds[last] + (tempo.tick - startTicks[last]) * secondsPerTick[last]);
    startTicks.push(tempo.tick);
    secondsPerTick.push(tempo.microsecondsPerQuarter / 1e6 / timing.ticksPerQuarter);
  }
  return (tick) => {
    let low = 0;
    let high = startTicks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (startTicks[middle] <= tick) low = middle;
      else high = middle - 1;
    }
    return startSeconds[low] + (tick - startTicks[low]) * secondsPerTick[low];
  };
}
