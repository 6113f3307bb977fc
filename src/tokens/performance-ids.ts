/**
 * The Performance RNN event vocabulary as fixed numbers, so models, datasets and tools can share token files:
 * 0–127 NOTE_ON pitch · 128–255 NOTE_OFF pitch · 256–355 TIME_SHIFT of (id−255)×10 ms · 356–387 VELOCITY bin.
 */
export const NOTE_ON_BASE = 0;
export const NOTE_OFF_BASE = 128;
export const TIME_SHIFT_BASE = 256;
export const VELOCITY_BASE = 356;
export const PERFORMANCE_VOCAB_SIZE = 388;

export const PITCH_COUNT = 128;
export const STEPS_PER_SECOND = 100;
/** The longest single TIME_SHIFT, in 10 ms steps (1 s). Longer gaps become several shifts. */
export const MAX_SHIFT_STEPS = 100;
export const VELOCITY_BINS = 32;
/** Velocity of notes decoded before any VELOCITY event. */
export const DEFAULT_VELOCITY = 64;

export type PerformanceTokenKind = 'note-on' | 'note-off' | 'time-shift' | 'velocity' | 'invalid';

/** Bin of a MIDI velocity 1..127 (values outside are clamped): b = floor((velocity − 1) / 4). */
export function velocityBin(velocity: number): number {
  const clamped = Math.min(127, Math.max(1, Math.round(velocity)));
  return (clamped - 1) >> 2;
}

/**
 * Velocity a bin decodes to. A bin b covers b*4+1 … b*4+4; we take b*4+3, the upper of the two centre values,
 * so the top bin (125…128) decodes to 127, the loudest valid MIDI velocity.
 */
export function binVelocity(bin: number): number {
  return bin * 4 + 3;
}

/**
 * Builders for single ids. Arguments out of range throw a RangeError: they are programming errors, not data.
 * @example performanceIds.noteOn(60) // 60; performanceIds.timeShift(100) // 355 (one second)
 */
export const performanceIds = {
  noteOn: (pitch: number): number => NOTE_ON_BASE + checked(pitch, 0, PITCH_COUNT - 1, 'pitch'),
  noteOff: (pitch: number): number => NOTE_OFF_BASE + checked(pitch, 0, PITCH_COUNT - 1, 'pitch'),
  /** A shift of `steps` × 10 ms, 1 ≤ steps ≤ 100. */
  timeShift: (steps: number): number => TIME_SHIFT_BASE - 1 + checked(steps, 1, MAX_SHIFT_STEPS, 'steps'),
  velocity: (bin: number): number => VELOCITY_BASE + checked(bin, 0, VELOCITY_BINS - 1, 'velocity bin'),
} as const;

function checked(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** Which of the four event families an id belongs to ('invalid' for anything a decoder ignores). */
export function tokenKind(id: number): PerformanceTokenKind {
  if (!Number.isInteger(id) || id < 0 || id >= PERFORMANCE_VOCAB_SIZE) return 'invalid';
  if (id < NOTE_OFF_BASE) return 'note-on';
  if (id < TIME_SHIFT_BASE) return 'note-off';
  if (id < VELOCITY_BASE) return 'time-shift';
  return 'velocity';
}

/**
 * Human-readable form of one id, for logs and debugging.
 * @example describeToken(316) // 'TIME_SHIFT 610ms'
 */
export function describeToken(id: number): string {
  switch (tokenKind(id)) {
    case 'note-on':
      return `NOTE_ON ${id - NOTE_ON_BASE}`;
    case 'note-off':
      return `NOTE_OFF ${id - NOTE_OFF_BASE}`;
    case 'time-shift':
      return `TIME_SHIFT ${(id - TIME_SHIFT_BASE + 1) * 10}ms`;
    case 'velocity':
      return `VELOCITY bin ${id - VELOCITY_BASE}`;
    case 'invalid':
      return `INVALID ${id}`;
  }
}

/** Seconds a single id advances the clock: only TIME_SHIFT ids do. */
export function performanceSecondsOf(id: number): number {
  return tokenKind(id) === 'time-shift' ? (id - TIME_SHIFT_BASE + 1) / STEPS_PER_SECOND : 0;
}
