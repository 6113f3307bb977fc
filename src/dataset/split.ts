import { z } from 'zod';
import type { DatasetEntryMeta } from './entry.js';
import { stableFraction } from './stable-hash.js';

export const DEFAULT_VALIDATION_FRACTION = 0.1;

export type SplitSide = 'train' | 'validation';

/** `split.json`: which entries (by digest) train and which validate, and how that was decided. */
export interface DatasetSplit {
  schemaVersion: 1;
  validationFraction: number;
  /** How the side was chosen, so anyone can recompute it. */
  method: 'sha256(piece ?? "sha256:" + digest) < fraction';
  train: string[];
  validation: string[];
  /** Distinct pieces (files with `piece`) on each side. */
  pieces: { train: number; validation: number };
}

/** `split.json` as read back. */
export const datasetSplitSchema: z.ZodType<DatasetSplit> = z.object({
  schemaVersion: z.literal(1),
  validationFraction: z.number().min(0).max(1),
  method: z.literal('sha256(piece ?? "sha256:" + digest) < fraction'),
  train: z.array(z.string()),
  validation: z.array(z.string()),
  pieces: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative() }),
});

/** The key a file is split by: its piece when the data names one, so all its performances fall on one side. */
export function splitKey(meta: Pick<DatasetEntryMeta, 'digest' | 'piece'>): string {
  return meta.piece ?? `sha256:${meta.digest}`;
}

/**
 * The side of one file. Depends only on the file's own key, so adding files never moves existing ones.
 * @example sideOf({ digest, piece: 'Bach: Fugue_bwv_846' }) // 'train'
 */
export function sideOf(meta: Pick<DatasetEntryMeta, 'digest' | 'piece'>, validationFraction = DEFAULT_VALIDATION_FRACTION): SplitSide {
  checkFraction(validationFraction);
  return stableFraction(splitKey(meta)) < validationFraction ? 'validation' : 'train';
}

/**
 * The split of a whole dataset, digests sorted: what `rubato preprocess` stores as `split.json`.
 * @example await putJson(store, 'split.json', computeSplit(metas));
 */
export function computeSplit(
  metas: readonly Pick<DatasetEntryMeta, 'digest' | 'piece'>[],
  validationFraction = DEFAULT_VALIDATION_FRACTION,
): DatasetSplit {
  checkFraction(validationFraction);
  const sides = { train: [] as string[], validation: [] as string[] };
  const pieces = { train: new Set<string>(), validation: new Set<string>() };
  for (const meta of metas) {
    const side = sideOf(meta, validationFraction);
    sides[side].push(meta.digest);
    if (meta.piece !== undefined) pieces[side].add(meta.piece);
  }
  return {
    schemaVersion: 1,
    validationFraction,
    method: 'sha256(piece ?? "sha256:" + digest) < fraction',
    train: [...new Set(sides.train)].sort(),
    validation: [...new Set(sides.validation)].sort(),
    pieces: { train: pieces.train.size, validation: pieces.validation.size },
  };
}

/**
 * Entries divided by a stored split (or, without one, by {@link sideOf}); entries the split does not list are placed
 * by {@link sideOf} with the split's fraction.
 */
export function applySplit<T extends { meta: Pick<DatasetEntryMeta, 'digest' | 'piece'> }>(
  entries: readonly T[],
  split?: Pick<DatasetSplit, 'train' | 'validation' | 'validationFraction'>,
): { train: T[]; validation: T[] } {
  const fraction = split?.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const validation = new Set(split?.validation);
  const train = new Set(split?.train);
  const result = { train: [] as T[], validation: [] as T[] };
  for (const entry of entries) {
    const side = validation.has(entry.meta.digest) ? 'validation' : train.has(entry.meta.digest) ? 'train' : sideOf(entry.meta, fraction);
    result[side].push(entry);
  }
  return result;
}

function checkFraction(fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`validation fraction must be in 0..1, got ${fraction}`);
}
