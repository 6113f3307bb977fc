import { describe, expect, it } from 'vitest';
import type { ProgressRecord } from '../../../src/model/progress-log.js';
import { renderLossCurveSvg } from '../../../src/plot/loss-curve-svg.js';
import { PlotError } from '../../../src/plot/plot-error.js';
import { parseProgressLines } from '../../../src/plot/progress-lines.js';

const trainRecord = (step: number, trainLoss: number): ProgressRecord => ({
  kind: 'train',
  step,
  elapsedSeconds: step * 3,
  trainLoss,
  learningRate: 0.001,
  eventsPerSecond: 20000,
  gradientNorm: 0.5,
});
const validationRecord = (step: number, validationNll: number): ProgressRecord => ({
  kind: 'validation',
  step,
  elapsedSeconds: step * 3,
  validationNll,
  validationAccuracy: 0.2,
  best: true,
});
const run = [trainRecord(10, 4.8), trainRecord(20, 4.1), validationRecord(20, 4.2), trainRecord(30, 3.5), trainRecord(40, 3.1), validationRecord(40, 3.3)];

function pointCount(svg: string, series: string): number {
  const match = new RegExp(`class="series-${series}"[^>]*points="([^"]*)"`).exec(svg);
  return match ? match[1]!.trim().split(' ').length : 0;
}

describe('renderLossCurveSvg', () => {
  it('draws one polyline per series with one point per record, inside a single well-formed svg element', () => {
    const svg = renderLossCurveSvg(run);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<g[ >]/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(pointCount(svg, 'train')).toBe(4);
    expect(pointCount(svg, 'validation')).toBe(2);
    expect(svg).toContain('Training time (minutes)');
    expect(svg).toContain('Loss (nats/event)');
  });

  it('keeps every point inside the plot area', () => {
    const svg = renderLossCurveSvg(run);
    const coordinates = /class="series-train"[^>]*points="([^"]*)"/.exec(svg)![1]!.split(' ').map((pair) => pair.split(',').map(Number));

    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(70);
      expect(x).toBeLessThanOrEqual(870);
      expect(y).toBeGreaterThanOrEqual(40);
      expect(y).toBeLessThanOrEqual(410);
    }
  });

  it('draws a labelled dashed line for each n-gram baseline', () => {
    const svg = renderLossCurveSvg(run, { baselines: { unigram: 4.67, bigram: 3.95, trigram: 3.82 } });

    for (const name of ['unigram', 'bigram', 'trigram']) expect(svg).toMatch(new RegExp(`<g class="baseline-${name}"[^>]*>\\n<line [^>]*stroke-dasharray`));
    expect(svg).toContain('trigram baseline 3.820');
  });

  it('draws a run that has only training points, without a validation series', () => {
    const svg = renderLossCurveSvg([trainRecord(10, 4.8)]);

    expect(pointCount(svg, 'train')).toBe(1);
    expect(svg).not.toContain('series-validation');
  });

  it('escapes the title', () => {
    expect(renderLossCurveSvg(run, { title: 'a<b & "c"' })).toContain('<title>a&lt;b &amp; &quot;c&quot;</title>');
  });

  it('refuses a run with no points', () => {
    expect(() => renderLossCurveSvg([])).toThrow(PlotError);
  });
});

describe('parseProgressLines', () => {
  it('reads records and skips blank lines', () => {
    const text = `${JSON.stringify(run[0])}\n\n${JSON.stringify(run[2])}\n`;

    expect(parseProgressLines(text, 'progress.jsonl')).toEqual([run[0], run[2]]);
  });

  it.each([
    ['not JSON', '{"kind":'],
    ['not a progress record', '{"kind":"train","step":1}'],
  ])('names the file and line of a line that is %s', (problem, badLine) => {
    const text = `${JSON.stringify(run[0])}\n${badLine}\n`;

    expect(() => parseProgressLines(text, 'run/progress.jsonl')).toThrow(new RegExp(`run/progress.jsonl line 2 is ${problem}`));
  });
});
