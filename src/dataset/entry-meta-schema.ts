import { z } from 'zod';
import type { DatasetEntryMeta } from './entry.js';

/**
 * A dataset entry's `<digest>.json` as read back. Loose: a field added by a newer writer is kept, not stripped, so an
 * entry read and written again loses nothing.
 */
export const datasetEntryMetaSchema: z.ZodType<DatasetEntryMeta> = z.looseObject({
  schemaVersion: z.literal(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string().min(1),
  sourceVersion: z.string().optional(),
  tokenizer: z.enum(['performance', 'notes-chords']),
  notes: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  events: z.number().int().nonnegative(),
  piece: z.string().optional(),
  composer: z.string().optional(),
});
