import { z } from 'zod';
import type { RejectionRecord } from './contracts.js';

/** `rejected/<upload key>.json` as read back: why an upload was refused. */
export const rejectionRecordSchema: z.ZodType<RejectionRecord> = z.looseObject({
  schemaVersion: z.literal(1),
  key: z.string().min(1),
  code: z.string().min(1),
  message: z.string(),
  rejectedAt: z.string(),
});
