import { featureLabels } from './features.js';
import type { MusicReport } from './music-report.js';

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const percent = (value: number) => `${(value * 100).toFixed(2)} %`;

/**
 * The report as a Markdown table, for a terminal or a model card: per feature the means of the three sets and the
 * overlap of generated and of real training excerpts with the held-out excerpts.
 */
export function formatMusicTable(report: MusicReport): string {
  const lines = [
    `| feature | generated | held-out | training (real) | overlap generated | overlap real |`,
    `|---|---|---|---|---|---|`,
    ...report.features.map(
      (row) =>
        `| ${featureLabels[row.feature]} | ${fixed(row.generated.mean, 3)} | ${fixed(row.heldOut.mean, 3)} | ${fixed(row.reference.mean, 3)} | ${fixed(row.overlapGenerated)} | ${fixed(row.overlapReference)} |`,
    ),
    `| **mean overlap** | | | | **${fixed(report.meanOverlap.generated)}** | **${fixed(report.meanOverlap.reference)}** |`,
    '',
    `generated ÷ real mean overlap: ${fixed(report.meanOverlap.ratio)} (target ≥ 0.92); ` +
      `notes over 5 s: generated ${percent(report.longNoteShare.generated)}, held-out ${percent(report.longNoteShare.heldOut)}, training ${percent(report.longNoteShare.reference)} (target ≤ 0.5 %); ` +
      `mean polyphony: generated ${fixed(report.meanPolyphony.generated)}, held-out ${fixed(report.meanPolyphony.heldOut)}, training ${fixed(report.meanPolyphony.reference)}; ` +
      `${report.pieces.generated} pieces and ${report.pieces.heldOut} + ${report.pieces.reference} excerpts of ${report.seconds} s, ${report.binCount} bins.`,
  ];
  return lines.join('\n');
}
