import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, parseCsvRecords } from '../../../src/dataset/csv.js';
import { combinePieceManifests, pieceManifestFromCsv } from '../../../src/dataset/piece-manifest.js';

describe('parseCsv', () => {
  it.each([
    ['plain fields', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['quoted commas', 'a,"b, c"\n', [['a', 'b, c']]],
    ['doubled quotes and CRLF', '"say ""hi""",x\r\ny,z', [['say "hi"', 'x'], ['y', 'z']]],
    ['a line break inside quotes', '"one\ntwo",3', [['one\ntwo', '3']]],
    ['empty fields', 'a,,c\n', [['a', '', 'c']]],
  ])('reads %s', (_, text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(CsvError);
  });

  it('keys records by header, stripping a byte-order mark', () => {
    expect(parseCsvRecords('\uFEFFfile,title\nx.mid,"Sonata, op. 2"\n')).toEqual([{ file: 'x.mid', title: 'Sonata, op. 2' }]);
  });
});

describe('pieceManifestFromCsv', () => {
  const csv = [
    'file,composer,asap_title,maestro_canonical_title,sha256',
    'a.mid,Bach,Fugue_bwv_846,"Prelude and Fugue in C Major, WTC I",aaa',
    'b.mid,Bach,,"Partita No. 2",bbb',
    'c.mid,,,,ccc',
  ].join('\n');

  it('names the piece by ASAP title, else the MAESTRO title, found by digest or file name', () => {
    const manifest = pieceManifestFromCsv(csv);

    expect(manifest.pieceOf({ digest: 'aaa', source: 'elsewhere.mid' })).toBe('Bach: Fugue_bwv_846');
    expect(manifest.pieceOf({ digest: 'zzz', source: 'some/folder/b.mid' })).toBe('Bach: Partita No. 2');
    expect(manifest.pieceOf({ digest: 'ccc', source: 'c.mid' })).toBeUndefined();
    expect(manifest.size).toBe(2);
  });

  it('asks each manifest in turn', () => {
    const combined = combinePieceManifests([pieceManifestFromCsv('file,title\nx.mid,X\n'), pieceManifestFromCsv(csv)]);

    expect(combined.pieceOf({ digest: 'aaa', source: 'x.mid' })).toBe('X');
    expect(combined.pieceOf({ digest: 'aaa', source: 'y.mid' })).toBe('Bach: Fugue_bwv_846');
  });
});
