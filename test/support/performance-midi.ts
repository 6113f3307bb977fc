import { controlChange, endOfTrack, midiFile, tempo, trackChunk, variableLength } from './midi-bytes.js';

export interface PerformanceSpec {
  /** Same seed, same bytes; each seed a different key, tempo and tune. */
  seed: number;
  /** Length of the piece, about. Default 30. */
  seconds?: number;
}

const ticksPerQuarter = 480;
const majorScale = [0, 2, 4, 5, 7, 9, 11];

/** Mulberry32: a small seeded generator, so a test's MIDI is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TimedEvent {
  tick: number;
  bytes: number[];
}

/** Events at absolute ticks → one track: sorted (note-offs before note-ons at a tick), each with its delta time. */
function track(events: TimedEvent[]): number[] {
  const ordered = [...events].sort((a, b) => a.tick - b.tick || (a.bytes[0]! & 0xf0) - (b.bytes[0]! & 0xf0));
  let previous = 0;
  const encoded = ordered.map(({ tick, bytes }) => {
    const delta = tick - previous;
    previous = tick;
    return [...variableLength(delta), ...bytes];
  });
  return trackChunk(...encoded, endOfTrack());
}

/**
 * A synthetic piano performance, for tests that need music but not the real corpus (`../shared/data`): a format-1
 * file with a tempo track (a slowing at two thirds of the way), a right hand wandering the scale in ones, twos and
 * fours per beat, a left hand in broken chords of I–IV–V–vi, the sustain pedal changed each bar, velocities that
 * rise and fall by phrase, and onsets that miss the grid by up to 20 ticks, as a pianist's do.
 *
 * @example performanceMidi({ seed: 3, seconds: 20 }) // about 20 s in E-flat major at its own tempo
 */
export function performanceMidi({ seed, seconds = 30 }: PerformanceSpec): Uint8Array {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const tonic = seed % 12;
  const microsecondsPerQuarter = between(420_000, 700_000);
  const beats = Math.ceil((seconds * 1_000_000) / microsecondsPerQuarter);
  const bars = Math.ceil(beats / 4);
  const pitchOf = (degree: number, octaveBase: number) => octaveBase + tonic + 12 * Math.floor(degree / 7) + majorScale[((degree % 7) + 7) % 7]!;
  const humanize = (tick: number) => Math.max(0, tick + between(-20, 20));
  const velocityAt = (beat: number, accent: number) => Math.max(1, Math.min(127, Math.round(70 + 25 * Math.sin((beat / 16) * Math.PI) + accent + between(-8, 8))));
  const note = (channel: number, pitch: number, start: number, end: number, velocity: number): TimedEvent[] => [
    { tick: start, bytes: [0x90 | channel, pitch, velocity] },
    { tick: Math.max(start + 1, end), bytes: [0x80 | channel, pitch, 64] },
  ];

  const conductor: TimedEvent[] = [
    { tick: 0, bytes: tempo(0, microsecondsPerQuarter).slice(1) },
    { tick: Math.floor((beats * 2) / 3) * ticksPerQuarter, bytes: tempo(0, Math.round(microsecondsPerQuarter * 1.25)).slice(1) },
  ];

  const rightHand: TimedEvent[] = [];
  let degree = between(7, 11);
  for (let beat = 0; beat < beats; beat++) {
    const perBeat = [1, 2, 2, 4][between(0, 3)]!;
    const step = ticksPerQuarter / perBeat;
    for (let index = 0; index < perBeat; index++) {
      const move = [-2, -1, -1, 1, 1, 2, 0, between(-4, 4)][between(0, 7)]!;
      degree = Math.max(3, Math.min(20, degree + move));
      const start = humanize(beat * ticksPerQuarter + index * step);
      // Legato: a note overlaps the next one a little, except a repeated key, which is let go first.
      const length = move === 0 ? step * 0.5 : step + between(0, 30);
      rightHand.push(...note(0, pitchOf(degree, 48), start, start + length, velocityAt(beat, index === 0 ? 10 : 0)));
    }
  }

  const leftHand: TimedEvent[] = [];
  for (let bar = 0; bar < bars; bar++) {
    const root = [0, 3, 4, 5][between(0, 3)]!;
    const chord = [root, root + 4, root + 2, root + 4];
    const barStart = bar * 4 * ticksPerQuarter;
    for (let eighth = 0; eighth < 8; eighth++) {
      const start = humanize(barStart + eighth * (ticksPerQuarter / 2));
      leftHand.push(...note(1, pitchOf(chord[eighth % 4]!, 36), start, start + ticksPerQuarter / 2 - 10, velocityAt(bar * 4, eighth === 0 ? 0 : -15)));
    }
    leftHand.push(
      { tick: barStart + between(10, 40), bytes: controlChange(0, 1, 64, 127).slice(1) },
      { tick: barStart + 4 * ticksPerQuarter - between(5, 20), bytes: controlChange(0, 1, 64, 0).slice(1) },
    );
  }

  return midiFile({ format: 1, division: ticksPerQuarter, chunks: [track(conductor), track(rightHand), track(leftHand)] });
}

/** `count` different performances (seeds `firstSeed`, `firstSeed + 1`, …). */
export const performances = (count: number, seconds?: number, firstSeed = 1): Uint8Array[] =>
  Array.from({ length: count }, (_, index) => performanceMidi({ seed: firstSeed + index, ...(seconds !== undefined ? { seconds } : {}) }));
