import type { EventGrammar, GrammarOptions } from './event-grammar.js';
import { MAX_SHIFT_STEPS, NOTE_OFF_BASE, PERFORMANCE_VOCAB_SIZE, PITCH_COUNT, STEPS_PER_SECOND, TIME_SHIFT_BASE, VELOCITY_BASE } from './performance-ids.js';

const silent = -1;

/**
 * The grammar of performance events as a pianist keeps it, and as the encoder writes real playing:
 * - a NOTE_OFF only for a sounding pitch, and not in the step its note began (every encoded note lasts a step); the
 *   model's chance of a forbidden NOTE_OFF goes to the allowed ones (it asked to end a note, not for more notes: spread
 *   over every other event instead, it doubled the notes sounding at once);
 * - a NOTE_ON of a sounding pitch is a restrike: the key comes up first, so NOTE_OFF is emitted before it (the
 *   encoder writes a restrike the same way), and a pitch is not struck twice in one step;
 * - a key is not struck again within `minRestrikeSeconds` of its last strike: the chance the model gives it goes to
 *   the TIME_SHIFT that waits until it may be (spread over every other event instead, it became stray notes that
 *   made pieces less tonal);
 * - optionally, while no note sounds, no TIME_SHIFT carries the silence past `maxSilenceSeconds`: a pause, not a piece
 *   that stopped;
 * - a note held `maxNoteSeconds` ends there: a TIME_SHIFT that would carry it further is split at that instant and
 *   the NOTE_OFF goes in between, so the model is fed what the listener hears;
 * - optionally, no new pitch while `maxPolyphony` notes sound.
 *
 * @example
 * const grammar = performanceGrammar({ maxNoteSeconds: 5 });
 * grammar.accept(60); // NOTE_ON 60: now allowed[188] (NOTE_OFF 60) is 0 until time passes
 */
export function performanceGrammar(options: GrammarOptions): EventGrammar {
  const capSteps = Math.max(1, Math.round(options.maxNoteSeconds * STEPS_PER_SECOND));
  const maxPolyphony = options.maxPolyphony ?? PITCH_COUNT;
  const restrikeSteps = Math.max(1, Math.round((options.minRestrikeSeconds ?? 0) * STEPS_PER_SECOND));
  const silenceSteps = options.maxSilenceSeconds === undefined ? Infinity : Math.round(options.maxSilenceSeconds * STEPS_PER_SECOND);
  const allowed = new Uint8Array(PERFORMANCE_VOCAB_SIZE);
  const redirect = new Int16Array(PERFORMANCE_VOCAB_SIZE).fill(-1);
  /** Step each sounding pitch began, or `silent`. */
  const startStep = new Float64Array(PITCH_COUNT);
  /** Step each pitch was last struck; -Infinity before its first strike. */
  const struckStep = new Float64Array(PITCH_COUNT);
  /** Ids that must follow, in order: the NOTE_ON of a restrike, the rest of a split TIME_SHIFT. */
  const pending: number[] = [];
  let clock = 0;
  let sounding = 0;
  /** The step the last note stopped sounding (0 before the first). */
  let silentSince = 0;
  /** The earliest step at which a sounding note reaches its cap. */
  let nextCap = Infinity;
  /** The longest TIME_SHIFT allowed now: while nothing sounds, what is left of the silence cap. */
  let longestShift = MAX_SHIFT_STEPS;

  const refresh = (): void => {
    nextCap = Infinity;
    longestShift = sounding > 0 ? MAX_SHIFT_STEPS : Math.min(MAX_SHIFT_STEPS, silenceSteps - (clock - silentSince));
    for (let steps = 1; steps <= MAX_SHIFT_STEPS; steps++) allowed[TIME_SHIFT_BASE - 1 + steps] = steps <= longestShift ? 1 : 0;
    for (let pitch = 0; pitch < PITCH_COUNT; pitch++) {
      const start = startStep[pitch]!;
      allowed[NOTE_OFF_BASE + pitch] = start !== silent && start !== clock ? 1 : 0;
      const wait = restrikeSteps - (clock - struckStep[pitch]!);
      allowed[pitch] = wait > 0 ? 0 : start === silent ? (sounding < maxPolyphony ? 1 : 0) : 1;
      const waitShift = Math.min(wait, MAX_SHIFT_STEPS);
      redirect[pitch] = wait > 0 && waitShift <= longestShift ? TIME_SHIFT_BASE - 1 + waitShift : -1;
      if (start !== silent) nextCap = Math.min(nextCap, start + capSteps);
    }
  };

  const observe = (id: number): void => {
    if (id < NOTE_OFF_BASE) {
      if (startStep[id] === silent) sounding += 1;
      startStep[id] = clock;
      struckStep[id] = clock;
    } else if (id < TIME_SHIFT_BASE) {
      if (startStep[id - NOTE_OFF_BASE] !== silent) {
        sounding -= 1;
        if (sounding === 0) silentSince = clock;
      }
      startStep[id - NOTE_OFF_BASE] = silent;
    } else if (id < VELOCITY_BASE) {
      clock += id - TIME_SHIFT_BASE + 1;
    } else {
      return;
    }
    refresh();
  };

  const reset = (): void => {
    startStep.fill(silent);
    struckStep.fill(-Infinity);
    allowed.fill(1);
    pending.length = 0;
    clock = 0;
    sounding = 0;
    silentSince = 0;
    refresh();
  };
  reset();

  return {
    allowed,
    sameKind: [[NOTE_OFF_BASE, TIME_SHIFT_BASE]],
    redirect,
    reset,
    observe,
    accept(id) {
      let emitted = id;
      if (id < NOTE_OFF_BASE && startStep[id] !== silent) {
        pending.unshift(id);
        emitted = NOTE_OFF_BASE + id;
      } else if (id >= TIME_SHIFT_BASE && id < VELOCITY_BASE) {
        const steps = id - TIME_SHIFT_BASE + 1;
        const untilCap = nextCap - clock;
        if (untilCap < steps) {
          pending.unshift(TIME_SHIFT_BASE - 1 + (steps - untilCap));
          emitted = TIME_SHIFT_BASE - 1 + untilCap;
        }
      }
      observe(emitted);
      return emitted;
    },
    forced() {
      if (clock >= nextCap) {
        for (let pitch = 0; pitch < PITCH_COUNT; pitch++) {
          if (startStep[pitch] !== silent && startStep[pitch]! + capSteps <= clock) return NOTE_OFF_BASE + pitch;
        }
      }
      for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
        if (next < TIME_SHIFT_BASE || next >= VELOCITY_BASE) return next;
        // The rest of a shift split at a note's cap; if that note was the last sounding, the silence cap cuts it.
        const steps = Math.min(next - TIME_SHIFT_BASE + 1, longestShift);
        if (steps > 0) return TIME_SHIFT_BASE - 1 + steps;
      }
      return -1;
    },
  };
}
