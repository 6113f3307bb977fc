import { z } from 'zod';

export const trainingRecordKey = 'local/training.json';

/** `local/training.json`, as read back: a damaged record must not keep the server from starting. */
export const trainingRecordSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().min(1),
  minutes: z.number().positive(),
  fromScratch: z.boolean().optional(),
  state: z.enum(['running', 'interrupted', 'stopped', 'finished', 'failed']),
  /** finished: whether the run became latest, and why. */
  promoted: z.boolean().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** `local/training.json`: the newest run, so a restarted server resumes a run a shutdown interrupted. */
export type TrainingRecord = z.infer<typeof trainingRecordSchema>;
