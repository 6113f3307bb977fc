import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pieceManifestFromCsv } from '../../../src/dataset/piece-manifest.js';
import { applySplit, computeSplit, sideOf } from '../../../src/dataset/split.js';
import { explainMissingSharedData, pianoManifestCsv } from '../../support/shared-data.js';

const digestOf = (n: number) => n.toString(16).padStart(64, '0');
const performancesOf = (piece: string, count: number, from: number) =>
  Array.from({ length: count }, (_, i) => ({ digest: digestOf(from + i), piece }));

describe('computeSplit', () => {
  it('puts every performance of a piece on the same side', () => {
    const metas = Array.from({ length: 60 }, (_, p) => performancesOf(`Composer: Piece ${p}`, 5, p * 5)).flat();

    const split = computeSplit(metas, 0.2);

    const validation = new Set(split.validation);
    for (let p = 0; p < 60; p++) {
      const sides = new Set(metas.filter((meta) => meta.piece === `Composer: Piece ${p}`).map((meta) => validation.has(meta.digest)));
      expect(sides.size).toBe(1);
    }
    expect(split.pieces.validation).toBeGreaterThan(0);
    expect(split.pieces.train + split.pieces.validation).toBe(60);
  });

  it('is the same on every run and does not move files when more are added', () => {
    const before = Array.from({ length: 200 }, (_, i) => ({ digest: digestOf(i) }));
    const after = [...before, ...Array.from({ length: 100 }, (_, i) => ({ digest: digestOf(1000 + i) }))];

    const first = computeSplit(before);
    const grown = computeSplit(after);

    expect(computeSplit([...before].reverse())).toEqual(first);
    expect(first.validation.every((digest) => grown.validation.includes(digest))).toBe(true);
    expect(first.train.every((digest) => grown.train.includes(digest))).toBe(true);
  });

  it('holds out about the requested fraction', () => {
    const metas = Array.from({ length: 2000 }, (_, i) => ({ digest: digestOf(i) }));

    const { validation } = computeSplit(metas, 0.1);

    expect(validation.length / metas.length).toBeGreaterThan(0.08);
    expect(validation.length / metas.length).toBeLessThan(0.12);
  });

  it('rejects a fraction outside 0..1', () => {
    expect(() => sideOf({ digest: digestOf(1) }, 1.5)).toThrow(RangeError);
  });
});

describe('applySplit', () => {
  it('follows a stored split and places unlisted entries by hash', () => {
    const entries = [0, 1, 2].map((i) => ({ meta: { digest: digestOf(i) } }));
    const stored = { train: [digestOf(0)], validation: [digestOf(1)], validationFraction: 0 };

    const { train, validation } = applySplit(entries, stored);

    expect(validation.map((entry) => entry.meta.digest)).toEqual([digestOf(1)]);
    expect(train.map((entry) => entry.meta.digest)).toEqual([digestOf(0), digestOf(2)]);
  });
});

describe.skipIf(explainMissingSharedData('the split of the real training manifest'))('split of the real training manifest', () => {
  it('keeps the performers of each ASAP piece together and holds out some pieces', () => {
    const text = readFileSync(pianoManifestCsv, 'utf8');
    const manifest = pieceManifestFromCsv(text);
    const rows = text.trim().split('\n').slice(1).map((line) => ({ file: line.split(',')[0]!, sha256: line.trim().split(',').at(-1)! }));
    const metas = rows.map((row) => ({ digest: row.sha256, piece: manifest.pieceOf({ digest: row.sha256, source: row.file })! }));

    const split = computeSplit(metas);

    expect(metas.every((meta) => meta.piece !== undefined)).toBe(true);
    expect(split.pieces.train + split.pieces.validation).toBe(new Set(metas.map((meta) => meta.piece)).size);
    expect(split.pieces.validation).toBeGreaterThan(0);
    const validation = new Set(split.validation);
    const sideOfPiece = new Map<string, boolean>();
    for (const meta of metas) {
      const side = validation.has(meta.digest);
      expect(sideOfPiece.get(meta.piece) ?? side).toBe(side);
      sideOfPiece.set(meta.piece, side);
    }
  });
});
