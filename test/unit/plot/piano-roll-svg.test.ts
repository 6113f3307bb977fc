import { describe, expect, it } from 'vitest';
import type { Note } from '../../../src/midi/note-sequence.js';
import { renderPianoRollSvg } from '../../../src/plot/piano-roll-svg.js';
import { PlotError } from '../../../src/plot/plot-error.js';

const note = (pitch: number, startSeconds: number, endSeconds: number, velocity = 80): Note => ({ pitch, startSeconds, endSeconds, velocity });
const notes = [note(60, 0, 0.5, 127), note(64, 0.5, 1), note(67, 1, 2, 20), note(72, 2, 3)];

function noteRects(svg: string): string[] {
  const group = /<g class="notes"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
  return group.match(/<rect [^>]*\/>/g) ?? [];
}

describe('renderPianoRollSvg', () => {
  it('draws one rect per note inside a single svg element', () => {
    const svg = renderPianoRollSvg({ notes, totalSeconds: 3 });

    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(noteRects(svg)).toHaveLength(notes.length);
    expect(svg).toContain('Time (seconds)');
  });

  it('shows velocity as opacity: louder notes are more opaque', () => {
    const opacities = noteRects(renderPianoRollSvg({ notes, totalSeconds: 3 })).map((rect) => Number(/fill-opacity="([\d.]+)"/.exec(rect)![1]));

    expect(opacities[0]).toBe(1);
    expect(opacities[2]).toBeLessThan(opacities[1]!);
  });

  it('puts higher pitches higher and later notes further right', () => {
    const rects = noteRects(renderPianoRollSvg({ notes, totalSeconds: 3 })).map((rect) => ({
      x: Number(/ x="([\d.]+)"/.exec(rect)![1]),
      y: Number(/ y="([\d.]+)"/.exec(rect)![1]),
    }));

    for (let index = 1; index < rects.length; index++) {
      expect(rects[index]!.x).toBeGreaterThan(rects[index - 1]!.x);
      expect(rects[index]!.y).toBeLessThan(rects[index - 1]!.y);
    }
  });

  it('labels a line at every C framing the notes', () => {
    const svg = renderPianoRollSvg({ notes, totalSeconds: 3 });

    expect(svg).toMatch(/>C4<\/text>/);
    expect(svg).toMatch(/>C5<\/text>/);
    expect(svg).toMatch(/>C6<\/text>/);
    expect(svg).not.toMatch(/>C3<\/text>/);
  });

  it('widens the picture for a long piece', () => {
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)![1]);
    const long = renderPianoRollSvg({ notes: [note(60, 0, 1), note(62, 99, 100)], totalSeconds: 100 });

    expect(width(long)).toBeGreaterThan(width(renderPianoRollSvg({ notes, totalSeconds: 3 })));
  });

  it('refuses a sequence without notes', () => {
    expect(() => renderPianoRollSvg({ notes: [], totalSeconds: 0 })).toThrow(PlotError);
  });
});
