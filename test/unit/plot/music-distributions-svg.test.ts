import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { musicReport } from '../../../src/music/music-report.js';
import { PlotError } from '../../../src/plot/plot-error.js';
import { renderMusicDistributionsSvg } from '../../../src/plot/music-distributions-svg.js';

/** A bar of repeated notes: `perSecond` notes a second of `seconds`, at a pitch and loudness. */
function piece(perSecond: number, pitch: number, velocity: number, seconds = 4): NoteSequence {
  const notes = Array.from({ length: perSecond * seconds }, (_, i) => ({ pitch: pitch + (i % 5), velocity, startSeconds: i / perSecond, endSeconds: i / perSecond + 0.2 }));
  return { notes, totalSeconds: seconds };
}

describe('renderMusicDistributionsSvg', () => {
  it('draws nine panels with a step line per set and the overlaps in the titles', () => {
    const real = [piece(4, 60, 60), piece(5, 62, 70), piece(6, 64, 65)];
    const report = musicReport({ generated: [piece(12, 40, 110), piece(10, 42, 100), piece(11, 44, 105)], heldOut: real, reference: real }, 4);
    const svg = renderMusicDistributionsSvg(report, { title: 'test' });
    expect(svg.match(/<polyline/g)).toHaveLength(27);
    expect(svg).toContain('overlap with held-out: generated 0.00, real 1.00');
    expect(svg).toContain('notes per second');
  });

  it('refuses a report without pieces', () => {
    expect(() => renderMusicDistributionsSvg(musicReport({ generated: [], heldOut: [], reference: [] }, 30))).toThrow(PlotError);
  });
});
