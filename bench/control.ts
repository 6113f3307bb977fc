import { defaultModelDir } from '../src/model/committed-models.js';
import { parseMidi } from '../src/midi/parse-midi.js';
import type { NoteSequence } from '../src/midi/note-sequence.js';
import { dynamicsMarks, requestControls } from '../src/model/controls/control-spec.js';
import { LstmCell } from '../src/model/lstm-cell.js';
import { loadModel } from '../src/model/model-files.js';
import { tokenizerOf } from '../src/model/model-tokenizer.js';
import { createSampler, defaultRules, lengthInSeconds } from '../src/model/sampler.js';
import { resolveDecoding } from '../src/model/sampling-defaults.js';
import { mean, meanVelocity, notesPerSecond, percentile } from '../src/music/features.js';
import { estimateKey } from '../src/music/key-estimate.js';
import { keyName, keyNames, parseKey } from '../src/music/musical-key.js';
import { controlInputs } from '../src/pipeline/control-inputs.js';
import { defaultDecoding, parseGenerateParams } from '../src/pipeline/generate-params.js';
import { composePiece } from '../src/pipeline/generate-piece.js';
import type { ServedModel } from '../src/pipeline/model-cache.js';
import { FsStore } from '../src/store/fs-store.js';
import type { Benchmark } from './benchmark.js';

const seconds = 30;
const densities = [3, 6, 10, 14];

/**
 * Does each control do what it says? Pieces of 30 s from the model, asked one control at a time (the others not
 * given), measured the way a listener would: notes per second, the Krumhansl–Schmuckler key, mean velocity, and —
 * for style — which composer's condition makes the piece most likely (the model's own judgement, so an upper bound
 * on how distinct the styles are, not an independent classifier).
 */
export const benchmark: Benchmark = {
  description: 'steering controls: density error, key agreement, dynamics order and style confusion on 30 s pieces (models/default or --model DIR)',
  async run(args) {
    const at = args.indexOf('--model');
    const folder = at >= 0 && args[at + 1] ? args[at + 1]! : defaultModelDir;
    const model = await loadModel(new FsStore(folder), '');
    const spec = model.manifest.controls;
    if (!spec) throw new Error(`${folder} was trained without controls`);
    const tokenizer = tokenizerOf(model.manifest);
    const served: ServedModel = { runId: 'bench', model, tokenizer, sampler: createSampler(model, tokenizer) };
    const piece = (query: Record<string, string>, seed: number): { sequence: NoteSequence; events: Uint16Array } => {
      const params = parseGenerateParams({ ...query, seconds: String(seconds), seed: String(seed) }, 'query');
      const generated = composePiece(served, params, { deadline: Number.POSITIVE_INFINITY });
      const sequence = parseMidi(generated.midi);
      return { sequence, events: tokenizer.encode(sequence) };
    };

    const density = densities.map((asked) => {
      const achieved = [1, 2, 3, 4].map((seed) => notesPerSecond(piece({ density: String(asked) }, seed).sequence, seconds));
      return { asked, achieved: achieved.map(round2), median: round2(percentile(achieved, 0.5)), relativeErrors: achieved.map((value) => round2(Math.abs(value - asked) / asked)) };
    });
    const densityMedianRelativeError = percentile(density.flatMap((row) => row.relativeErrors), 0.5);

    const keyRows = keyNames.flatMap((asked) =>
      [1, 2].map((seed) => {
        const estimate = estimateKey(piece({ key: asked }, seed).sequence);
        return { asked, estimated: keyName(estimate), relation: relation(asked, keyName(estimate)) };
      }),
    );
    const keyAgreement = keyRows.filter((row) => row.relation === 'same').length / keyRows.length;
    // The same pieces without the sampler's key guidance: what the trained input alone achieves.
    const decoding = resolveDecoding({}, served.model.manifest.sampling, false, defaultDecoding);
    const maxNoteSeconds = defaultRules.maxNoteSeconds;
    const unguidedAgreement =
      keyNames.flatMap((asked) =>
        [1, 2].map((seed) => {
          const controls = requestControls(spec, { key: parseKey(asked)! });
          const events = served.sampler.generate({ stop: lengthInSeconds(seconds), decoding: { ...decoding, seed }, controls });
          return keyName(estimateKey(tokenizer.decode(events, { maxNoteSeconds }))) === asked;
        }),
      ).filter(Boolean).length / keyRows.length;

    const dynamics = dynamicsMarks.map((mark) => {
      const velocities = [1, 2, 3, 4].map((seed) => meanVelocity(piece({ dynamics: mark }, seed).sequence));
      return { mark, meanVelocity: round2(mean(velocities)) };
    });
    const dynamicsOrdered = dynamics.every((row, i) => i === 0 || row.meanVelocity > dynamics[i - 1]!.meanVelocity);

    const scorer = new LstmCell(model.shape, model.parameters);
    const confusion: Record<string, Record<string, number>> = {};
    for (const style of spec.styles) {
      confusion[style] = Object.fromEntries(spec.styles.map((other) => [other, 0]));
      for (const seed of [1, 2, 3]) {
        const { events } = piece({ style }, seed);
        const likeliest = spec.styles.reduce(
          (best, candidate) => {
            const nll = negativeLogLikelihood(scorer, events, controlInputs(model.manifest, { style: candidate }));
            return nll < best.nll ? { style: candidate, nll } : best;
          },
          { style: '', nll: Infinity },
        );
        confusion[style]![likeliest.style]! += 1;
      }
    }
    const styleAccuracy = spec.styles.reduce((sum, style) => sum + confusion[style]![style]!, 0) / (3 * spec.styles.length);

    return {
      model: folder === defaultModelDir ? 'models/default' : folder,
      seconds,
      density: { rows: density, medianRelativeError: round2(densityMedianRelativeError), target: 0.25, risesWithEveryStep: density.every((row, i) => i === 0 || row.median > density[i - 1]!.median) },
      key: {
        agreement: round2(keyAgreement),
        target: 0.75,
        unguidedAgreement: round2(unguidedAgreement),
        relative: keyRows.filter((row) => row.relation === 'relative').length,
        parallel: keyRows.filter((row) => row.relation === 'parallel').length,
        fifth: keyRows.filter((row) => row.relation === 'fifth').length,
        other: keyRows.filter((row) => row.relation === 'other').length,
        pieces: keyRows.length,
        misses: keyRows.filter((row) => row.relation !== 'same').map((row) => `${row.asked}→${row.estimated}`),
      },
      dynamics: { rows: dynamics, strictlyOrdered: dynamicsOrdered, ffMinusPp: round2(dynamics.at(-1)!.meanVelocity - dynamics[0]!.meanVelocity), target: 30 },
      style: { measure: 'likeliest style condition under the model (3 pieces per style)', accuracy: round2(styleAccuracy), chance: round2(1 / spec.styles.length), confusion },
    };
  },
};

/** How an estimated key relates to the one asked: the same, its relative or parallel key, a fifth away, or other. */
function relation(asked: string, estimated: string): 'same' | 'relative' | 'parallel' | 'fifth' | 'other' {
  const a = parseKey(asked)!;
  const e = parseKey(estimated)!;
  if (a.tonic === e.tonic && a.mode === e.mode) return 'same';
  if (a.tonic === e.tonic) return 'parallel';
  if (a.mode !== e.mode && (a.mode === 'major' ? (a.tonic + 9) % 12 : (a.tonic + 3) % 12) === e.tonic) return 'relative';
  if (a.mode === e.mode && ((a.tonic + 7) % 12 === e.tonic || (a.tonic + 5) % 12 === e.tonic)) return 'fifth';
  return 'other';
}

/** Nats per event of `events` under the model's cell, from zero state, with the given control inputs. */
function negativeLogLikelihood(cell: LstmCell, events: Uint16Array, controls: Float32Array | undefined): number {
  cell.reset();
  cell.setControls(controls);
  let total = 0;
  for (const id of events) {
    const logits = cell.logits;
    let maximum = -Infinity;
    for (const logit of logits) maximum = Math.max(maximum, logit);
    let sum = 0;
    for (const logit of logits) sum += Math.exp(logit - maximum);
    total -= logits[id]! - maximum - Math.log(sum);
    cell.step(id);
  }
  return total / Math.max(1, events.length);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
