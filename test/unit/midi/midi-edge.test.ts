import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MidiError, type MidiErrorCode } from '../../../src/midi/midi-error.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { explainMissingSharedData, midiEdgeDir } from '../../support/shared-data.js';

type Outcome = { accepted: { notes: number; seconds: number } } | { rejected: MidiErrorCode };

/**
 * Every odd or broken file of ../shared/data/midi-edge and what we do with it, and why.
 * Note counts leave out percussion (channel 10) and notes released at the tick they start.
 */
const edgeCases: [file: string, outcome: Outcome, why: string][] = [
  ['midly__Beethoven.rmi', { accepted: { notes: 4592, seconds: 379.28 } }, 'RIFF "RMID" wrapper is unwrapped (@tonejs/midi throws)'],
  ['midly__PiDamaged.mid', { rejected: 'truncated' }, 'cut at 64 KiB inside track 1: no partial reads of damaged files'],
  ['nfroidure_midifile__MIDIBadFormat1.mid', { accepted: { notes: 4, seconds: 2 } }, 'declares 4 tracks, holds 3 complete ones: read what is there'],
  ['nfroidure_midifile__MIDIBadHeaderFormat.mid', { rejected: 'bad-header' }, 'format 3 does not exist'],
  ['nfroidure_midifile__MIDIBadHeaderSMTPE.mid', { rejected: 'bad-header' }, 'SMPTE rate of 16 frames/s (tonejs gives NaN times)'],
  ['nfroidure_midifile__MIDIBadTrackHdr.mid', { rejected: 'bad-track' }, 'track chunk id "mTrk" is damaged'],
  ['nfroidure_midifile__MIDIOkFormat0.mid', { accepted: { notes: 4, seconds: 2 } }, 'format 0, three channels in one track'],
  ['nfroidure_midifile__MIDIOkFormat1-lyrics.mid', { accepted: { notes: 6, seconds: 2.49 } }, 'lyrics meta events are skipped'],
  ['tonejs_midi__230_bpm_multitrack.mid', { accepted: { notes: 1969, seconds: 158.61 } }, 'drum track left out'],
  ['tonejs_midi__TheEntertainer.mid', { accepted: { notes: 2616, seconds: 254.58 } }, 'plain piano file'],
  ['tonejs_midi__bach_846.mid', { accepted: { notes: 1282, seconds: 225.56 } }, '10 tracks; 2 same-pitch notes struck at the same tick become one'],
  ['tonejs_midi__beat.mid', { rejected: 'no-notes' }, 'drums only: nothing a piano plays'],
  ['tonejs_midi__symphony_7_2.mid', { accepted: { notes: 4984, seconds: 463.05 } }, '17 orchestral tracks merged; unison doublings (same pitch, same tick) become one note'],
];

describe.skipIf(explainMissingSharedData('the outcome of each odd or broken file of midi-edge'))('parseMidi on every file of midi-edge', () => {
  it('has a row for each file in the folder', () => {
    const listed = readFileSync(join(midiEdgeDir, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);

    expect(edgeCases.map(([file]) => file).sort()).toEqual(listed.sort());
  });

  it.each(edgeCases)('%s → %j (%s)', (file, outcome) => {
    const bytes = readFileSync(join(midiEdgeDir, file));

    if ('accepted' in outcome) {
      const sequence = parseMidi(bytes);
      expect(sequence.notes).toHaveLength(outcome.accepted.notes);
      expect(sequence.totalSeconds).toBeCloseTo(outcome.accepted.seconds, 2);
    } else {
      expect(() => parseMidi(bytes)).toThrow(expect.objectContaining({ name: 'MidiError', code: outcome.rejected }));
      expect(() => parseMidi(bytes)).toThrow(MidiError);
    }
  });
});
