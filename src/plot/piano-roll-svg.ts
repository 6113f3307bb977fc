import type { NoteSequence } from '../midi/note-sequence.js';
import { PlotError } from './plot-error.js';
import { coordinate, linearScale, niceTicks, renderAxes, svgDocument, type PlotArea } from './svg-chart.js';

export interface PianoRollOptions {
  title?: string;
}

const height = 520;
const area: PlotArea = { left: 60, top: 40, width: 0, height: 420 };
const pixelsPerSecond = 30;
const plotWidthLimits = { min: 810, max: 3900 };
const noteColor = '#1f4e9c';

/**
 * A piano roll: time on x, pitch on y (one row per semitone, a labelled line at every C), velocity as opacity.
 * Long pieces get a wider picture, up to a limit. Throws PlotError when the sequence has no notes.
 * @example writeFileSync('roll.svg', renderPianoRollSvg(parseMidi(bytes), { title: 'prelude.mid' }))
 */
export function renderPianoRollSvg(sequence: NoteSequence, options: PianoRollOptions = {}): string {
  const { notes } = sequence;
  if (notes.length === 0) throw new PlotError('no notes to plot: the piece is silent');

  const endSeconds = Math.max(sequence.totalSeconds, ...notes.map((note) => note.endSeconds));
  const plotWidth = Math.min(plotWidthLimits.max, Math.max(plotWidthLimits.min, endSeconds * pixelsPerSecond));
  const plot = { ...area, width: plotWidth };
  // Whole octaves from C to C, so the labelled lines frame the notes.
  const lowestC = Math.floor(Math.min(...notes.map((note) => note.pitch)) / 12) * 12;
  const highestC = Math.ceil((Math.max(...notes.map((note) => note.pitch)) + 1) / 12) * 12;
  const xTicks = niceTicks(0, endSeconds, Math.round(plotWidth / 90));
  const xScale = linearScale(0, xTicks.at(-1)!.value, plot.left, plot.left + plot.width);
  const yScale = linearScale(lowestC, highestC, plot.top + plot.height, plot.top);
  const rowHeight = plot.height / (highestC - lowestC);
  const yTicks = [];
  for (let pitch = lowestC; pitch <= highestC; pitch += 12) yTicks.push({ value: pitch, label: `C${pitch / 12 - 1}` });

  const body = renderAxes({ area: plot, xTicks, yTicks, xScale, yScale, xLabel: 'Time (seconds)', yLabel: 'Pitch' });
  body.push(`<g class="notes" fill="${noteColor}">`);
  for (const note of notes) {
    const x = xScale(note.startSeconds);
    const opacity = 0.25 + 0.75 * (note.velocity / 127);
    body.push(
      `<rect x="${coordinate(x)}" y="${coordinate(yScale(note.pitch + 1))}" width="${coordinate(Math.max(1, xScale(note.endSeconds) - x))}" height="${coordinate(Math.max(1, rowHeight - 0.5))}" fill-opacity="${opacity.toFixed(2)}"/>`,
    );
  }
  body.push('</g>');
  return svgDocument(Math.round(plot.left + plot.width + 30), height, options.title ?? 'Piano roll', body);
}
