import type { Baselines } from '../model/progress-log.js';
import type { TrainRunEvent } from '../pipeline/train-dataset.js';
import type { TrainingWorkerMessage } from './training-messages.js';
import type { TrainingStatus } from './training-status.js';

/** One line of the live view (`GET /api/train/events`): what the chart and the status line show. */
export type TrainingUpdate =
  | { kind: 'step'; runId: string; step: number; trainLoss: number; eventsPerSecond: number; etaSeconds: number; budgetSeconds: number; learningRate: number }
  | { kind: 'validation'; runId: string; step: number; validationLoss: number; validationAccuracy: number; best: boolean }
  | { kind: 'baselines'; runId: string; baselines: Baselines }
  /** The run's model is published; `promoted`: it became latest, and `reason` says why or why not. */
  | { kind: 'published'; runId: string; promoted: boolean; reason: string }
  | { kind: 'log'; runId: string; line: string }
  | { kind: 'state'; status: TrainingStatus };

/** A worker's log line or progress event as the live view sends it. */
export function toUpdate(runId: string, message: Extract<TrainingWorkerMessage, { kind: 'log' | 'progress' }>): TrainingUpdate {
  if (message.kind === 'log') return { kind: 'log', runId, line: message.line };
  const event: TrainRunEvent = message.event;
  if (event.kind === 'published') return { kind: 'published', runId: event.runId, promoted: event.promotion.promoted, reason: event.promotion.reason };
  if (event.kind === 'baselines') return { kind: 'baselines', runId, baselines: event.baselines };
  if (event.kind === 'validation') {
    return { kind: 'validation', runId, step: event.step, validationLoss: event.validationNll, validationAccuracy: event.validationAccuracy, best: event.best };
  }
  return {
    kind: 'step',
    runId,
    step: event.step,
    trainLoss: event.trainLoss,
    eventsPerSecond: event.eventsPerSecond,
    etaSeconds: Math.max(0, event.budgetSeconds - event.elapsedSeconds),
    budgetSeconds: event.budgetSeconds,
    learningRate: event.learningRate,
  };
}
