import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { controlLayout } from '../../../src/model/controls/control-spec.js';
import { followingRecipe, plainRecipe } from '../../../src/pipeline/continuation-plan.js';
import { evaluateContinuation } from '../../../src/pipeline/evaluate-continuation.js';
import { performanceTokenizer } from '../../../src/tokens/performance.js';
import { manifestFor, randomModel, tinyControlSpec, tinyShape } from '../../../fixtures/model-fixtures.js';

/** A steady two-hand pattern for `seconds`: every window of it is like every other. */
function steady(seconds: number, root: number): NoteSequence {
  const notes = Array.from({ length: seconds * 4 }, (_, i) => ({ pitch: root + [0, 4, 7, 12][i % 4]!, velocity: 70, startSeconds: i / 4, endSeconds: i / 4 + 0.2 }));
  return { notes, totalSeconds: seconds };
}

const shape = { ...tinyShape, controlSize: controlLayout(tinyControlSpec).width };
const model = { ...randomModel(shape, 5), manifest: manifestFor(shape, { controls: tinyControlSpec }) };

describe('evaluateContinuation', () => {
  const performances = [steady(90, 48), steady(90, 55), steady(20, 60)];
  const options = {
    windows: 3,
    primerSeconds: 4,
    continuationSeconds: 5,
    startFraction: 1 / 3,
    maxStartSeconds: 30,
    free: { temperature: 1, topK: 0, topP: 0.95 },
    continuing: { temperature: 1, topK: 0, topP: 0.95 },
    seeds: 1,
    maxNoteSeconds: 5,
    recipes: { followPrimerOff: plainRecipe, followPrimer: followingRecipe },
  };
  const report = evaluateContinuation(model, performanceTokenizer, performances, options);

  it('cuts windows only where a primer and two continuations fit, and reports every set', () => {
    expect(report.windows).toBe(3);
    expect(report.places.map(({ file }) => file)).toEqual([0, 0, 1]);
    expect(Object.keys(report.sets)).toEqual(['withoutPrimer', 'followPrimerOff', 'followPrimer', 'pieceNext']);
  });

  it('finds a steady piece’s next window as close to the truth as it gets: the target of the way', () => {
    const next = report.sets.pieceNext!.distances;
    expect(next.pitchClassCosine).toBeCloseTo(1, 9);
    expect(next.densityLogRatio).toBeCloseTo(0, 9);
    expect(next.velocityDifference).toBe(0);
    expect(next.registerDifference).toBeCloseTo(0, 9);
    expect(report.sets.pieceNext!.seam!.medianPrimerInterOnset).toBeCloseTo(0.25, 9);
  });

  it('scores the true continuation with and without the primer, and places each way between the references', () => {
    for (const name of ['withoutPrimer', 'followPrimerOff', 'followPrimer']) expect(report.sets[name]!.nll).toBeGreaterThan(0);
    const way = report.sets.followPrimer!.fractionOfTheWay!;
    const { withoutPrimer, followPrimer, pieceNext } = report.sets;
    expect(way.velocityDifference).toBeCloseTo(
      (withoutPrimer!.distances.velocityDifference - followPrimer!.distances.velocityDifference) / (withoutPrimer!.distances.velocityDifference - pieceNext!.distances.velocityDifference),
      9,
    );
  });

  it('with more seeds draws more pieces per window: the same windows and NLL, other medians', () => {
    const twice = evaluateContinuation(model, performanceTokenizer, performances, { ...options, seeds: 2, recipes: { followPrimer: followingRecipe } });
    expect(twice.places).toEqual(report.places);
    expect(twice.sets.followPrimer!.nll).toBeCloseTo(report.sets.followPrimer!.nll!, 9);
    expect(twice.sets.pieceNext!.distances).toEqual(report.sets.pieceNext!.distances);
    expect(twice.sets.followPrimer!.distances).not.toEqual(report.sets.followPrimer!.distances);
  });
});
