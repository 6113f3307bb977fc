import { evaluateNgram, fitNgramBaselines } from './baselines.js';
import { evaluateSequences } from './evaluate.js';
import type { ModelMetrics } from './manifest.js';
import { elapsedSeconds, type TrainSession } from './train-session.js';
import type { TrainingData } from './training-data.js';

/**
 * Count-based models fitted on the training files, scored on the validation events: what the LSTM has to beat.
 *
 * @example
 * const baselines = validationBaselines(data, shape.vocabSize); // { unigram: 4.9, bigram: 4.1, trigram: 3.8 }
 */
export function validationBaselines(data: TrainingData, vocabSize: number): ModelMetrics['baselines'] {
  const ngrams = fitNgramBaselines(data.train, vocabSize);
  return {
    unigram: evaluateNgram(ngrams.unigram, data.validation).nllNatsPerEvent,
    bigram: evaluateNgram(ngrams.bigram, data.validation).nllNatsPerEvent,
    trigram: evaluateNgram(ngrams.trigram, data.validation).nllNatsPerEvent,
  };
}

/**
 * The run's baselines as a typed point: a `progress.jsonl` line (so the chart of a run still training has them; a
 * resumed run keeps the one it has) and a progress event for the caller (every session: a new viewer needs them).
 *
 * @example
 * recordBaselines(session, validationBaselines(data, shape.vocabSize));
 */
export function recordBaselines(session: TrainSession, baselines: ModelMetrics['baselines']): void {
  const step = session.state.step;
  if (!session.progress.has('baselines')) session.progress.add({ kind: 'baselines', step, elapsedSeconds: elapsedSeconds(session), ...baselines });
  session.setup.onProgress?.({ kind: 'baselines', step, baselines });
}

/**
 * Scores the current parameters on the validation events (with weight averaging, the average too, keeping the better).
 * A new best keeps a copy of them and resets the early-stopping count; anything else adds one to it. The point goes to
 * `progress.jsonl` (flushed), the caller and the log.
 *
 * @example
 * if (session.state.step % hp.validationEvery === 0) await validate(session);
 */
export async function validate(session: TrainSession): Promise<void> {
  const { setup, state } = session;
  const hp = setup.data.hyperparameters;
  const score = (parameters: Float32Array) =>
    evaluateSequences(setup.engine, parameters, setup.data.validation, {
      steps: hp.steps,
      batchSize: hp.batchSize,
      ...(setup.data.controls ? { controls: setup.data.controls } : {}),
    });
  const raw = { parameters: session.parameters, scores: await score(session.parameters) };
  const averaged = session.averageParameters ? { parameters: session.averageParameters, scores: await score(session.averageParameters) } : undefined;
  const kept = averaged && averaged.scores.nllNatsPerEvent < raw.scores.nllNatsPerEvent ? averaged : raw;
  const { nllNatsPerEvent: nll, accuracy } = kept.scores;
  session.lastValidatedStep = state.step;
  const best = state.best === undefined || nll < state.best.nll;
  if (best) {
    state.best = { nll, accuracy, step: state.step };
    session.bestParameters.set(kept.parameters);
    state.validationsSinceBest = 0;
  } else {
    state.validationsSinceBest += 1;
  }
  const both = averaged ? { averagedNll: averaged.scores.nllNatsPerEvent, rawNll: raw.scores.nllNatsPerEvent } : {};
  const line = { step: state.step, validationNll: nll, validationAccuracy: accuracy, best, ...both };
  session.progress.add({ kind: 'validation', elapsedSeconds: elapsedSeconds(session), ...line });
  await session.progress.flush();
  setup.onProgress?.({ kind: 'validation', ...line });
  const detail = averaged ? ` (averaged ${averaged.scores.nllNatsPerEvent.toFixed(4)}, raw ${raw.scores.nllNatsPerEvent.toFixed(4)})` : '';
  setup.log(`validation at step ${state.step}: ${nll.toFixed(4)} nats/event${detail}, accuracy ${(accuracy * 100).toFixed(1)} %${best ? ' (best)' : ''}`);
}

/** True once `earlyStoppingPatience` validations in a row have not beaten the best. */
export function patienceRunOut(session: TrainSession): boolean {
  const { state } = session;
  return state.best !== undefined && state.validationsSinceBest >= session.setup.data.hyperparameters.earlyStoppingPatience;
}
