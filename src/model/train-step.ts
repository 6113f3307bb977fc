import { mixUint32 } from '../dataset/stable-hash.js';
import { adamStep } from './adam.js';
import { clipByGlobalNorm } from './clip.js';
import type { Batch, RecurrentState } from './engine/engine.js';
import { learningRateAt } from './schedule.js';
import { elapsedSeconds, type TrainSession } from './train-session.js';
import { updateWeightAverage } from './weight-average.js';

/** Steps per line of progress.jsonl. */
const progressEverySteps = 10;

/**
 * One optimisation step: the next batch (continuing the carried LSTM state when its streams go on; with dropout, this
 * step's masks), loss and gradients, global-norm clipping, an Adam update at the scheduled learning rate, the weight
 * average, then the counters; every {@link progressEverySteps} steps a line of `progress.jsonl` and a progress event.
 *
 * @example
 * await trainStep(session);
 */
export async function trainStep(session: TrainSession): Promise<void> {
  const { setup, state, batches, parameters, gradients, window } = session;
  const hp = setup.data.hyperparameters;
  const windows = batches.next();
  // Streams continue their rows from one batch to the next, except at the start of each epoch.
  const carried = hp.carryState && session.carried && batches.continuesPrevious ? { initialState: session.carried } : {};
  // Masks are a function of (seed, step): a resumed run draws what the uninterrupted one would.
  const dropout = hp.dropout ? { dropout: { rate: hp.dropout, seed: mixUint32(hp.seed, state.step), firstSequence: 0 } } : {};
  const batch: Batch = { ...windows, ...carried, ...dropout };
  const result = await setup.engine.lossAndGradients(parameters, batch, gradients);
  if (!Number.isFinite(result.loss)) throw new Error(`training diverged at step ${state.step}: loss ${result.loss}`);
  if (hp.carryState) session.carried = copyState(result.finalState, session.carried);
  const norm = clipByGlobalNorm(gradients, hp.clipNorm);
  const learningRate = learningRateAt(
    { peak: hp.learningRate, floor: hp.minLearningRate, warmupSteps: hp.warmupSteps, totalSteps: plannedSteps(session) },
    state.step,
  );
  adamStep(parameters, gradients, session.adam, learningRate, hp.weightDecay, session.decayMask);
  if (session.averageParameters) updateWeightAverage(session.averageParameters, parameters, hp.averageDecay ?? 0, state.step);
  state.step += 1;
  state.events += result.count;
  window.loss += result.loss;
  window.norm += norm;
  window.steps += 1;
  if (state.step % progressEverySteps === 0) reportProgress(session, learningRate, result.count);
}

/** The steps the run will take: `maxSteps` when set, else what the budget allows at the pace so far. */
function plannedSteps(session: TrainSession): number {
  const { setup, state, started } = session;
  if (setup.maxSteps !== undefined) return setup.maxSteps;
  const done = state.step - started.step;
  if (done < 1) return Math.max(state.step + 1, setup.data.hyperparameters.warmupSteps * 10);
  const secondsPerStep = (elapsedSeconds(session) - started.elapsedSeconds) / done;
  return Math.max(state.step + 1, Math.round(state.step + (setup.budgetSeconds - elapsedSeconds(session)) / secondsPerStep));
}

/** Closes the progress window: its mean loss and gradient norm to `progress.jsonl` and to the caller. */
function reportProgress(session: TrainSession, learningRate: number, eventsPerBatch: number): void {
  const { setup, state, window } = session;
  state.lastTrainLoss = window.loss / window.steps;
  const eventsPerSecond = (window.steps * eventsPerBatch) / ((performance.now() - window.startedAt) / 1000);
  session.progress.add({
    kind: 'train',
    step: state.step,
    elapsedSeconds: elapsedSeconds(session),
    trainLoss: state.lastTrainLoss,
    learningRate,
    eventsPerSecond,
    gradientNorm: window.norm / window.steps,
  });
  setup.onProgress?.({
    kind: 'step',
    step: state.step,
    plannedSteps: plannedSteps(session),
    elapsedSeconds: elapsedSeconds(session),
    budgetSeconds: setup.budgetSeconds,
    trainLoss: state.lastTrainLoss,
    learningRate,
    eventsPerSecond,
  });
  session.window = { loss: 0, steps: 0, norm: 0, startedAt: performance.now() };
}

/** Copies the engine's final state into buffers kept across steps, so a long run does not allocate per step. */
function copyState(from: RecurrentState, into: RecurrentState | undefined): RecurrentState {
  if (!into || into.h[0]!.length !== from.h[0]!.length) {
    return { h: from.h.map((h) => Float32Array.from(h)), c: from.c.map((c) => Float32Array.from(c)) };
  }
  from.h.forEach((h, layer) => into.h[layer]!.set(h));
  from.c.forEach((c, layer) => into.c[layer]!.set(c));
  return into;
}
