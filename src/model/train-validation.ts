import { evaluateNgram, fitNgramBaselines } from './baselines.js';
import { evaluateSequences } from './evaluate.js';
import type { ModelMetrics } from './manifest.js';
import { elapsedSeconds, type TrainSession } from './train-session.js';
import type { TrainingData } from './training-data.js';

/**
 * Count-based models fitted on the training files, scored on the validation events: what the LSTM has to beat.
 *
 * @example
 * log(`validation baselines (nats/event): ${JSON.stringify(validationBaselines(data, shape.vocabSize))}`);
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
 * Scores the current parameters on the validation events. A new best keeps a copy of them and resets the early-stopping
 * count; anything else adds one to it. The point goes to `progress.jsonl` (flushed), the caller and the log.
 *
 * @example
 * if (session.state.step % hp.validationEvery === 0) await validate(session);
 */
export async function validate(session: TrainSession): Promise<void> {
  const { setup, state } = session;
  const hp = setup.data.hyperparameters;
  const scores = await evaluateSequences(setup.engine, session.parameters, setup.data.validation, { steps: hp.steps, batchSize: hp.batchSize });
  session.lastValidatedStep = state.step;
  const best = state.best === undefined || scores.nllNatsPerEvent < state.best.nll;
  if (best) {
    state.best = { nll: scores.nllNatsPerEvent, accuracy: scores.accuracy, step: state.step };
    session.bestParameters.set(session.parameters);
    state.validationsSinceBest = 0;
  } else {
    state.validationsSinceBest += 1;
  }
  const line = { step: state.step, validationNll: scores.nllNatsPerEvent, validationAccuracy: scores.accuracy, best };
  session.progress.add({ kind: 'validation', elapsedSeconds: elapsedSeconds(session), ...line });
  await session.progress.flush();
  setup.onProgress?.({ kind: 'validation', ...line });
  setup.log(
    `validation at step ${state.step}: ${scores.nllNatsPerEvent.toFixed(4)} nats/event, accuracy ${(scores.accuracy * 100).toFixed(1)} %${best ? ' (best)' : ''}`,
  );
}

/** True once `earlyStoppingPatience` validations in a row have not beaten the best. */
export function patienceRunOut(session: TrainSession): boolean {
  const { state } = session;
  return state.best !== undefined && state.validationsSinceBest >= session.setup.data.hyperparameters.earlyStoppingPatience;
}
