import type { ModelMetrics } from '../model/manifest.js';
import type { ProgressRecord } from '../model/progress-log.js';
import { PlotError } from './plot-error.js';
import { coordinate, escapeXml, linearScale, niceTicks, renderAxes, svgDocument, type PlotArea, type Scale } from './svg-chart.js';

export type NgramBaselines = ModelMetrics['baselines'];

export interface LossCurveOptions {
  /** Drawn as dashed horizontal lines: a model worth keeping ends below all of them. */
  baselines?: NgramBaselines;
  title?: string;
}

interface Point {
  minutes: number;
  nats: number;
}

const width = 900;
const height = 480;
const area: PlotArea = { left: 70, top: 40, width: 800, height: 370 };
const seriesStyles = {
  train: { label: 'Training loss', color: '#1f77b4' },
  validation: { label: 'Validation NLL', color: '#d62728' },
} as const;
const baselineColors: Record<keyof NgramBaselines, string> = { unigram: '#999', bigram: '#777', trigram: '#555' };

/**
 * Training loss and validation NLL (nats/event) against minutes of training, as a standalone SVG.
 * Throws PlotError when there is neither a training nor a validation point.
 * @example writeFileSync('loss.svg', renderLossCurveSvg(parseProgressLines(text, 'progress.jsonl'), { baselines }))
 */
export function renderLossCurveSvg(records: ProgressRecord[], options: LossCurveOptions = {}): string {
  const train: Point[] = [];
  const validation: Point[] = [];
  for (const record of records) {
    const minutes = record.elapsedSeconds / 60;
    if (record.kind === 'train') train.push({ minutes, nats: record.trainLoss });
    else if (record.kind === 'validation') validation.push({ minutes, nats: record.validationNll });
  }
  if (train.length + validation.length === 0) throw new PlotError('no training or validation points to plot: the run has not logged progress yet');

  const allPoints = [...train, ...validation];
  const baselineEntries = Object.entries(options.baselines ?? {}) as Array<[keyof NgramBaselines, number]>;
  const natsValues = [...allPoints.map((point) => point.nats), ...baselineEntries.map(([, nats]) => nats)];
  const yTicks = niceTicks(Math.min(...natsValues), Math.max(...natsValues), 6);
  const xTicks = niceTicks(0, Math.max(...allPoints.map((point) => point.minutes)), 8);
  const xScale = linearScale(0, xTicks.at(-1)!.value, area.left, area.left + area.width);
  const yScale = linearScale(yTicks[0]!.value, yTicks.at(-1)!.value, area.top + area.height, area.top);

  const body = renderAxes({ area, xTicks, yTicks, xScale, yScale, xLabel: 'Training time (minutes)', yLabel: 'Loss (nats/event)' });
  for (const [name, nats] of baselineEntries) body.push(baselineLine(name, nats, yScale));
  if (train.length > 0) body.push(seriesPolyline('train', train, xScale, yScale));
  if (validation.length > 0) {
    body.push(seriesPolyline('validation', validation, xScale, yScale));
    body.push(...validation.map((point) => `<circle cx="${coordinate(xScale(point.minutes))}" cy="${coordinate(yScale(point.nats))}" r="3" fill="${seriesStyles.validation.color}"/>`));
  }
  const drawnSeries = (['train', 'validation'] as const).filter((series) => (series === 'train' ? train : validation).length > 0);
  body.push(...legend(drawnSeries));
  return svgDocument(width, height, options.title ?? 'Training progress', body);
}

function seriesPolyline(series: keyof typeof seriesStyles, points: Point[], xScale: Scale, yScale: Scale): string {
  const coordinates = points.map((point) => `${coordinate(xScale(point.minutes))},${coordinate(yScale(point.nats))}`).join(' ');
  return `<polyline class="series-${series}" fill="none" stroke="${seriesStyles[series].color}" stroke-width="1.5" points="${coordinates}"/>`;
}

function baselineLine(name: keyof NgramBaselines, nats: number, yScale: Scale): string {
  const y = coordinate(yScale(nats));
  return [
    `<g class="baseline-${name}" stroke="${baselineColors[name]}" fill="${baselineColors[name]}">`,
    `<line x1="${area.left}" y1="${y}" x2="${area.left + area.width}" y2="${y}" stroke-dasharray="6 4"/>`,
    `<text x="${area.left + area.width - 6}" y="${coordinate(yScale(nats) - 4)}" text-anchor="end" font-size="12" stroke="none">${escapeXml(`${name} baseline ${nats.toFixed(3)}`)}</text>`,
    '</g>',
  ].join('\n');
}

function legend(series: Array<keyof typeof seriesStyles>): string[] {
  // Bottom left: a loss curve starts high and ends low, so that corner stays empty.
  const left = area.left + 16;
  return series.flatMap((name, index) => {
    const y = area.top + area.height - 20 * (series.length - index);
    const { label, color } = seriesStyles[name];
    return [
      `<line x1="${left}" y1="${y}" x2="${left + 24}" y2="${y}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${left + 32}" y="${y + 4}" font-size="12">${escapeXml(label)}</text>`,
    ];
  });
}
