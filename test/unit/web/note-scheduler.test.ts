import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordedNote } from '../../../web/midi-messages.js';
import { NoteScheduler, type SchedulerVoice } from '../../../web/note-scheduler.js';

const note = (pitch: number, startSeconds: number, endSeconds: number, velocity = 80): RecordedNote => ({ pitch, velocity, startSeconds, endSeconds });

/** A voice that writes down what it is handed; the clock follows vitest's fake timers. */
function recordingVoice() {
  const log: string[] = [];
  const voice: SchedulerVoice = {
    press: (pitch, velocity, time) => log.push(`on ${pitch} ${velocity} @${time.toFixed(2)}`),
    release: (pitch, time) => log.push(`off ${pitch} @${time.toFixed(2)}`),
    cancel: () => log.push('cancel'),
  };
  return { voice, log };
}

const clock = () => Date.now() / 1000;

describe('NoteScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the first note over at once and the rest as the clock nears them, release before strike at one time', () => {
    const { voice, log } = recordingVoice();
    const scheduler = new NoteScheduler(clock, [voice]);
    const ended = vi.fn();

    scheduler.play([note(60, 0, 0.5, 90), note(60, 0.5, 1), note(64, 1, 1.2)], 0.01, ended);
    expect(log).toEqual(['on 60 90 @0.01']);
    vi.advanceTimersByTime(500);
    expect(log).toEqual(['on 60 90 @0.01', 'off 60 @0.51', 'on 60 80 @0.51']);
    expect(ended).not.toHaveBeenCalled();
    vi.advanceTimersByTime(700);
    expect(log.slice(3)).toEqual(['off 60 @1.01', 'on 64 80 @1.01', 'off 64 @1.21']);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('on stop cancels each voice, releases at once what sounds or has a note-off handed over for later, and plays nothing more', () => {
    const { voice, log } = recordingVoice();
    const scheduler = new NoteScheduler(clock, [voice]);
    const ended = vi.fn();
    scheduler.play([note(60, 0, 0.3), note(67, 0, 2), note(72, 1, 2)], 0, ended);
    vi.advanceTimersByTime(240);
    expect(log).toEqual(['on 60 80 @0.00', 'on 67 80 @0.00', 'off 60 @0.30']);

    scheduler.stop();
    vi.advanceTimersByTime(3000);
    // 60's note-off was handed over for 0.30 and a cancel may have dropped it: it is released again, now.
    expect(log.slice(3)).toEqual(['cancel', 'off 60 @0.24', 'off 67 @0.24']);
    expect(ended).not.toHaveBeenCalled();
  });
});
