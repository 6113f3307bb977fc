import type { TrainingRecord } from './training-record.js';

/** What the page and `GET /api/train` show: the state of the local trainer, and how its newest run ended. */
export interface TrainingStatus {
  /**
   * `starting`: a start was asked and its worker is being set up (no run id yet); `finished`: idle after a run that
   * published, with `runId`, `promoted` and `reason` of that run.
   */
  state: 'idle' | 'starting' | 'running' | 'stopping' | 'finished';
  runId?: string;
  minutes?: number;
  promoted?: boolean;
  reason?: string;
  /** The outcome of the newest run that is not running. */
  last?: TrainingRecord;
}

/** What happens to a run, in the order it can happen. */
export type TrainingEvent =
  /** A user asked to start (before anything is awaited, so a second ask sees a run starting). */
  | { kind: 'requested'; minutes: number }
  /** The worker named the run: its id follows from the data and settings. */
  | { kind: 'named'; runId: string }
  /** A user asked to stop: the run checkpoints and stops. */
  | { kind: 'stop-asked' }
  /** The worker exited: `record` says how the run ended; without one (it never ran) the status before the request is back. */
  | { kind: 'ended'; record?: TrainingRecord }
  /** The server started and read the newest run's record. */
  | { kind: 'restored'; record: TrainingRecord };

/** A run is under way: another start is refused. */
export function isActive(status: TrainingStatus): boolean {
  return status.state === 'starting' || status.state === 'running' || status.state === 'stopping';
}

/**
 * The one place the local trainer's status changes: pure, so each transition is tested on its own. An event that does
 * not apply to the current state (a stop while idle, a second start while one runs) leaves the status as it is.
 *
 * @example
 * let status: TrainingStatus = { state: 'idle' };
 * status = nextStatus(status, { kind: 'requested', minutes: 5 }); // { state: 'starting', minutes: 5 }
 * status = nextStatus(status, { kind: 'named', runId: 'run-1' }); // { state: 'running', minutes: 5, runId: 'run-1' }
 */
export function nextStatus(status: TrainingStatus, event: TrainingEvent): TrainingStatus {
  const last = status.last ? { last: status.last } : {};
  switch (event.kind) {
    case 'requested':
      return isActive(status) ? status : { state: 'starting', minutes: event.minutes, ...last };
    case 'named':
      if (status.state === 'starting') return { ...status, state: 'running', runId: event.runId };
      return status.state === 'stopping' ? { ...status, runId: event.runId } : status;
    case 'stop-asked':
      return status.state === 'starting' || status.state === 'running' ? { ...status, state: 'stopping' } : status;
    case 'ended':
      if (!isActive(status)) return status;
      if (event.record) return statusAfter(event.record);
      return status.last ? statusAfter(status.last) : { state: 'idle' };
    case 'restored':
      return isActive(status) ? status : statusAfter(event.record);
  }
}

/** Idle again: `finished` with the run's promotion when it published, else `idle` with the record. */
function statusAfter(record: TrainingRecord): TrainingStatus {
  if (record.state !== 'finished') return { state: 'idle', last: record };
  return { state: 'finished', runId: record.runId, promoted: record.promoted ?? false, reason: record.reason ?? '', minutes: record.minutes, last: record };
}
