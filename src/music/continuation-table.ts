import { continuationMeasureNames, continuationMeasures, type ContinuationMeasure } from './continuation-measures.js';

/** What each measure must reach, as a fraction of the way from "without primer" to "the piece's next window". */
export const continuationTargets: Record<ContinuationMeasure, number> = {
  pitchClassCosine: 0.9,
  densityLogRatio: 0.9,
  velocityDifference: 0.9,
  // Register: no worse than the piece's own next window (a distance, so "the way" is read from the values).
  registerDifference: 1,
  polyphonyLogRatio: 0.8,
  noteLengthLogRatio: 0.8,
};

/** The part of a continuation report the table reads (the evaluation's own type, kept structural for the plot too). */
export interface ContinuationTableInput {
  windows: number;
  primerSeconds: number;
  continuationSeconds: number;
  sets: Record<
    string,
    {
      distances: Record<ContinuationMeasure, number>;
      fractionOfTheWay?: Record<ContinuationMeasure, number>;
      nll?: number;
      seam?: { delayInPrimerGaps: number; medianLoudnessJump: number; medianRegisterJump: number };
    }
  >;
}

const fixed = (value: number | undefined, digits = 3) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '–');
const percent = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${Math.round(value * 100)} %` : '–');

/**
 * The continuation report as a Markdown table: per measure the value of every set, then how far each way of
 * continuing got from "without primer" toward "the piece's next window", against its target; then the NLL of the true
 * continuation and the seam.
 *
 * @example console.error(formatContinuationTable(report))
 */
export function formatContinuationTable(report: ContinuationTableInput): string {
  const names = Object.keys(report.sets);
  const ways = names.filter((name) => report.sets[name]!.fractionOfTheWay);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    row(['measure', ...names, ...ways.map((name) => `way: ${name}`), 'target']),
    row(Array.from({ length: names.length + ways.length + 2 }, () => '---')),
    ...continuationMeasureNames.map((measure) =>
      row([
        continuationMeasures[measure].label.replaceAll('|', '\\|'),
        ...names.map((name) => fixed(report.sets[name]!.distances[measure])),
        ...ways.map((name) => percent(report.sets[name]!.fractionOfTheWay![measure])),
        measure === 'registerDifference' ? '≤ piece next' : `≥ ${percent(continuationTargets[measure])}`,
      ]),
    ),
    row(['NLL of the true continuation (nats/event)', ...names.map((name) => fixed(report.sets[name]!.nll)), ...ways.map(() => ''), 'lower with the primer']),
    row(['first onset ÷ primer median gap (median)', ...names.map((name) => fixed(report.sets[name]!.seam?.delayInPrimerGaps, 2)), ...ways.map(() => ''), '≈ piece next']),
    row(['loudness jump at the join (median)', ...names.map((name) => fixed(report.sets[name]!.seam?.medianLoudnessJump, 1)), ...ways.map(() => ''), '≈ piece next']),
    row(['register jump at the join, semitones (median)', ...names.map((name) => fixed(report.sets[name]!.seam?.medianRegisterJump, 1)), ...ways.map(() => ''), '≈ piece next']),
    '',
    `${report.windows} windows: ${report.primerSeconds} s primer, ${report.continuationSeconds} s continuation compared with what the pianist played next.`,
  ];
  return lines.join('\n');
}
