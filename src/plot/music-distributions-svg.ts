import { featureLabels, featureNames } from '../music/features.js';
import type { MusicReport, SetName } from '../music/music-report.js';
import { sharedHistograms } from '../music/overlap.js';
import { PlotError } from './plot-error.js';
import { coordinate, escapeXml, linearScale, niceTicks, renderAxes, svgDocument, type PlotArea } from './svg-chart.js';

const panelWidth = 320;
const panelHeight = 220;
const columns = 3;
const margin = { left: 60, top: 70, right: 20, bottom: 60 };
const sets: Record<SetName, { label: string; color: string }> = {
  generated: { label: 'generated', color: '#d62728' },
  heldOut: { label: 'held-out excerpts', color: '#222' },
  reference: { label: 'training excerpts (real)', color: '#1f77b4' },
};

/**
 * The nine feature distributions of a music report, one panel each: the share of pieces per shared bin as a step line
 * for generated pieces, held-out and training excerpts, with both overlaps in the panel's title. Throws PlotError for
 * a report without pieces.
 * @example writeFileSync('music.svg', renderMusicDistributionsSvg(report, { title: 'models/default' }))
 */
export function renderMusicDistributionsSvg(report: MusicReport, options: { title?: string } = {}): string {
  if (report.pieces.generated === 0 || report.pieces.heldOut === 0) throw new PlotError('the music report holds no pieces to draw');
  const rows = Math.ceil(featureNames.length / columns);
  const width = columns * (panelWidth + margin.left + margin.right);
  const height = rows * (panelHeight + margin.top + margin.bottom) + 40;
  const body: string[] = [legend(width)];
  featureNames.forEach((feature, index) => {
    const area: PlotArea = {
      left: (index % columns) * (panelWidth + margin.left + margin.right) + margin.left,
      top: Math.floor(index / columns) * (panelHeight + margin.top + margin.bottom) + margin.top + 30,
      width: panelWidth,
      height: panelHeight,
    };
    const setNames = Object.keys(sets) as SetName[];
    const { edges, shares } = sharedHistograms(setNames.map((set) => report.values[set][feature]), report.binCount);
    const xTicks = niceTicks(edges[0]!, edges.at(-1)!, 5);
    const xScale = linearScale(xTicks[0]!.value, xTicks.at(-1)!.value, area.left, area.left + area.width);
    const yTicks = niceTicks(0, Math.max(...shares.flat(), 0.1), 4);
    const yScale = linearScale(0, yTicks.at(-1)!.value, area.top + area.height, area.top);
    body.push(...renderAxes({ area, xTicks, yTicks, xScale, yScale, xLabel: featureLabels[feature], yLabel: '' }));
    const row = report.features.find((comparison) => comparison.feature === feature)!;
    body.push(
      `<text x="${coordinate(area.left + area.width / 2)}" y="${area.top - 10}" text-anchor="middle" font-size="12">` +
        `${escapeXml(`overlap with held-out: generated ${row.overlapGenerated.toFixed(2)}, real ${row.overlapReference.toFixed(2)}`)}</text>`,
    );
    setNames.forEach((set, which) => {
      const points = shares[which]!.flatMap((share, bin) => [`${coordinate(xScale(edges[bin]!))},${coordinate(yScale(share))}`, `${coordinate(xScale(edges[bin + 1]!))},${coordinate(yScale(share))}`]);
      body.push(`<polyline fill="none" stroke="${sets[set].color}" stroke-width="2" points="${points.join(' ')}"/>`);
    });
  });
  const title = options.title ?? 'Feature distributions';
  const overlap = `mean overlap: generated ${report.meanOverlap.generated.toFixed(2)}, real ${report.meanOverlap.reference.toFixed(2)}`;
  return svgDocument(width, height, `${title} — ${overlap} (${report.pieces.generated} × ${report.seconds} s)`, body);
}

function legend(width: number): string {
  return Object.values(sets)
    .map((set, index) => {
      const x = width / 2 - 300 + index * 220;
      return `<line x1="${x}" y1="50" x2="${x + 24}" y2="50" stroke="${set.color}" stroke-width="3"/><text x="${x + 30}" y="54" font-size="13">${escapeXml(set.label)}</text>`;
    })
    .join('\n');
}
