import { describe, expect, it } from 'vitest';
import { applySustainPedal } from '../../../src/midi/sustain-pedal.js';
import type { PedalChange, TickNote } from '../../../src/midi/tick-note.js';

const note = (channel: number, startTick: number, endTick: number): TickNote => ({ channel, pitch: 60, velocity: 80, startTick, endTick });
const pedalsOnChannel0 = (...changes: [tick: number, down: boolean][]): PedalChange[][] => [
  changes.map(([tick, down]) => ({ tick, down })),
  ...Array.from({ length: 15 }, () => []),
];

describe('applySustainPedal', () => {
  it('extends only notes released while the pedal is down, to that press’s release', () => {
    const notes = [note(0, 0, 50), note(0, 0, 150), note(0, 0, 250), note(0, 0, 350), note(1, 0, 150)];
    // Given out of order, as they come from several tracks; a repeated "down" changes nothing.
    const pedals = pedalsOnChannel0([300, true], [100, true], [120, true], [200, false]);

    applySustainPedal(notes, pedals, 1000);

    expect(notes.map((n) => n.endTick)).toEqual([50, 200, 250, 1000, 150]);
  });

  it('counts a pedal pressed at the very tick of the release', () => {
    const notes = [note(0, 0, 100)];

    applySustainPedal(notes, pedalsOnChannel0([100, true], [180, false]), 1000);

    expect(notes[0].endTick).toBe(180);
  });
});
