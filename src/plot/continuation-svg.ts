import { continuationMeasureNames, continuationMeasures } from '../music/continuation-measures.js';
import { continuationTargets, type ContinuationTableInput } from '../music/continuation-table.js';
import { PlotError } from './plot-error.js';
import { coordinate, escapeXml, linearScale, niceTicks, renderAxes, svgDocument, type PlotArea } from './svg-chart.js';

const colors = ['#999', '#d62728', '#1f77b4', '#2ca02c'];
const area: PlotArea = { left: 80, top: 80, width: 760, height: 320 };

/**
 * "How far of the way": per measure, one bar per way of continuing in the report (0 = no closer to the truth than
 * without a primer, 100 % = as close as the piece's own next window), with the measure's target as a tick. Throws
 * PlotError for a report without a way to draw.
 *
 * @example writeFileSync('continuation.svg', renderContinuationSvg(report, { title: 'models/default' }))
 */
export function renderContinuationSvg(report: ContinuationTableInput, options: { title?: string } = {}): string {
  const ways = Object.keys(report.sets).filter((name) => report.sets[name]!.fractionOfTheWay);
  if (ways.length === 0) throw new PlotError('the continuation report holds no continuations to draw');
  const values = ways.flatMap((name) => continuationMeasureNames.map((measure) => report.sets[name]!.fractionOfTheWay![measure]));
  const finite = values.filter((value) => Number.isFinite(value));
  const yTicks = niceTicks(Math.min(0, ...finite), Math.max(1.2, ...finite), 6).map((tick) => ({ ...tick, label: `${Math.round(tick.value * 100)} %` }));
  const yScale = linearScale(yTicks[0]!.value, yTicks.at(-1)!.value, area.top + area.height, area.top);
  const group = area.width / continuationMeasureNames.length;
  const barWidth = (group * 0.7) / ways.length;
  const xScale = (index: number) => area.left + group * (index + 0.5);
  const body = renderAxes({ area, xTicks: [], yTicks, xScale, yScale, xLabel: '', yLabel: 'of the way from "without primer" to "the piece\'s next window"' });
  continuationMeasureNames.forEach((measure, index) => {
    const left = area.left + group * index + group * 0.15;
    ways.forEach((name, way) => {
      const value = report.sets[name]!.fractionOfTheWay![measure];
      if (!Number.isFinite(value)) return;
      const top = Math.min(yScale(value), yScale(0));
      const height = Math.abs(yScale(value) - yScale(0));
      body.push(`<rect x="${coordinate(left + way * barWidth)}" y="${coordinate(top)}" width="${coordinate(barWidth - 2)}" height="${coordinate(height)}" fill="${colors[(way + 1) % colors.length]}"><title>${escapeXml(`${name}: ${Math.round(value * 100)} %`)}</title></rect>`);
    });
    const target = yScale(continuationTargets[measure]);
    body.push(`<line x1="${coordinate(left - 4)}" y1="${coordinate(target)}" x2="${coordinate(left + group * 0.7 + 4)}" y2="${coordinate(target)}" stroke="#000" stroke-dasharray="4 3"/>`);
    const label = continuationMeasures[measure].label.replace(/ \((mean|median)\)$/, '');
    body.push(`<text x="${coordinate(xScale(index))}" y="${area.top + area.height + 18}" text-anchor="middle" font-size="11">${escapeXml(label.length > 24 ? `${label.slice(0, 23)}…` : label)}</text>`);
  });
  body.push(`<line x1="${area.left}" y1="${coordinate(yScale(0))}" x2="${area.left + area.width}" y2="${coordinate(yScale(0))}" stroke="#444"/>`);
  ways.forEach((name, way) => {
    const x = area.left + way * 220;
    body.push(`<rect x="${x}" y="44" width="14" height="14" fill="${colors[(way + 1) % colors.length]}"/>`, `<text x="${x + 20}" y="56" font-size="13">${escapeXml(name)}</text>`);
  });
  body.push(`<text x="${area.left + ways.length * 220}" y="56" font-size="13">- - target</text>`);
  body.push(
    `<text x="${area.left}" y="${area.top + area.height + 52}" font-size="12" fill="#555">${escapeXml(`${report.windows} held-out windows: ${report.primerSeconds} s primer, ${report.continuationSeconds} s continuation`)}</text>`,
  );
  return svgDocument(area.left + area.width + 40, area.top + area.height + 70, options.title ?? 'Continuations', body);
}
