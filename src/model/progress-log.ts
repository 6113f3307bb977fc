import type { Store } from '../store/store.js';

/** The n-gram models' NLL on the run's validation events (nats/event): the lines a loss curve should get below. */
export interface Baselines {
  unigram: number;
  bigram: number;
  trigram: number;
}

/**
 * One line of `progress.jsonl`: a window of training steps, a validation point, or the run's baselines (written as a
 * session starts, so a run still training has them; the newest one counts).
 */
export type ProgressRecord =
  | ({ kind: 'baselines'; step: number; elapsedSeconds: number } & Baselines)
  | {
      kind: 'train';
      step: number;
      elapsedSeconds: number;
      trainLoss: number;
      learningRate: number;
      eventsPerSecond: number;
      gradientNorm: number;
    }
  | ({ kind: 'validation'; step: number; elapsedSeconds: number } & ValidationScores);

/**
 * A validation point: the kept weights' scores, and with weight averaging on both candidates' NLL (the better one is
 * what `validationNll` reports).
 */
export interface ValidationScores {
  validationNll: number;
  validationAccuracy: number;
  best: boolean;
  averagedNll?: number;
  rawNll?: number;
}

/**
 * What a running training reports to its caller (a progress bar, the local server's event stream): typed events, so no
 * caller reads numbers back out of log text.
 */
export type TrainProgressEvent =
  | { kind: 'baselines'; step: number; baselines: Baselines }
  | {
      kind: 'step';
      step: number;
      plannedSteps: number;
      elapsedSeconds: number;
      budgetSeconds: number;
      trainLoss: number;
      learningRate: number;
      eventsPerSecond: number;
    }
  | ({ kind: 'validation'; step: number } & ValidationScores);

/**
 * `<prefix>progress.jsonl`, kept in memory and rewritten whole on each flush (the Store has no append); a resumed run
 * reloads it and drops lines past its checkpoint's step.
 */
export class ProgressLog {
  private readonly records: ProgressRecord[] = [];

  constructor(
    private readonly store: Store,
    private readonly key: string,
  ) {}

  /** Loads earlier records up to and including `throughStep`. */
  async restore(throughStep: number): Promise<void> {
    const bytes = await this.store.get(this.key);
    if (!bytes) return;
    for (const line of new TextDecoder().decode(bytes).split('\n')) {
      if (line.trim() === '') continue;
      const record = JSON.parse(line) as ProgressRecord;
      if (record.step <= throughStep) this.records.push(record);
    }
  }

  /** Whether a record of this kind is kept (a resumed run has its baselines line already). */
  has(kind: ProgressRecord['kind']): boolean {
    return this.records.some((record) => record.kind === kind);
  }

  add(record: ProgressRecord): void {
    this.records.push(record);
  }

  async flush(): Promise<void> {
    const text = this.records.map((record) => JSON.stringify(record)).join('\n') + '\n';
    await this.store.put(this.key, new TextEncoder().encode(text), { contentType: 'application/x-ndjson' });
  }
}
