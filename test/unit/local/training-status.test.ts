import { describe, expect, it } from 'vitest';
import type { TrainingRecord } from '../../../src/local/training-record.js';
import { isActive, nextStatus, type TrainingEvent, type TrainingStatus } from '../../../src/local/training-status.js';

const record = (state: TrainingRecord['state'], extra: Partial<TrainingRecord> = {}): TrainingRecord => ({ schemaVersion: 1, runId: 'run-1', minutes: 5, state, ...extra });
const stopped = record('stopped');
const finished = record('finished', { promoted: true, reason: 'promoted: no model was published before' });

const idle: TrainingStatus = { state: 'idle', last: stopped };
const starting: TrainingStatus = { state: 'starting', minutes: 2, last: stopped };
const running: TrainingStatus = { state: 'running', minutes: 2, runId: 'run-2', last: stopped };
const stopping: TrainingStatus = { ...running, state: 'stopping' };
const startingStopped: TrainingStatus = { ...starting, state: 'stopping' };

describe('nextStatus', () => {
  it.each<[string, TrainingStatus, TrainingEvent, TrainingStatus]>([
    ['a start while idle is starting at once, the last outcome kept', idle, { kind: 'requested', minutes: 2 }, starting],
    ['a start after a published run is starting', { state: 'finished', runId: 'run-1', promoted: true, reason: 'r', minutes: 5, last: finished }, { kind: 'requested', minutes: 2 }, { state: 'starting', minutes: 2, last: finished }],
    ['a second start while starting changes nothing', starting, { kind: 'requested', minutes: 9 }, starting],
    ['a second start while running changes nothing', running, { kind: 'requested', minutes: 9 }, running],
    ['the worker naming the run makes it running', starting, { kind: 'named', runId: 'run-2' }, running],
    ['a run named after a stop was asked stays stopping, with its id', startingStopped, { kind: 'named', runId: 'run-2' }, { ...startingStopped, runId: 'run-2' }],
    ['a stop while starting is stopping', starting, { kind: 'stop-asked' }, startingStopped],
    ['a stop while running is stopping', running, { kind: 'stop-asked' }, stopping],
    ['a stop while idle changes nothing', idle, { kind: 'stop-asked' }, idle],
    ['a run that ends stopped is idle with its record', stopping, { kind: 'ended', record: record('stopped', { runId: 'run-2' }) }, { state: 'idle', last: record('stopped', { runId: 'run-2' }) }],
    ['a run that published is finished with its promotion', running, { kind: 'ended', record: finished }, { state: 'finished', runId: 'run-1', promoted: true, reason: finished.reason!, minutes: 5, last: finished }],
    ['a start that never ran (lease held elsewhere) is back where it was', starting, { kind: 'ended' }, idle],
    ['a first start that never ran is idle', { state: 'starting', minutes: 2 }, { kind: 'ended' }, { state: 'idle' }],
    ['an end while idle (a stale worker) changes nothing', idle, { kind: 'ended', record: finished }, idle],
    ['a restored record sets the status when idle', { state: 'idle' }, { kind: 'restored', record: stopped }, idle],
    ['a restored record does not override a run under way', running, { kind: 'restored', record: stopped }, running],
  ])('%s', (_name, before, event, after) => {
    expect(nextStatus(before, event)).toEqual(after);
  });

  it('counts starting, running and stopping as under way', () => {
    expect([idle, starting, running, stopping, { state: 'finished' } as TrainingStatus].map(isActive)).toEqual([false, true, true, true, false]);
  });
});
