import { z } from 'zod';
import type { ProgressRecord } from '../model/progress-log.js';
import { PlotError } from './plot-error.js';

const recordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('baselines'), step: z.number(), elapsedSeconds: z.number(), unigram: z.number(), bigram: z.number(), trigram: z.number() }),
  z.object({
    kind: z.literal('train'),
    step: z.number(),
    elapsedSeconds: z.number(),
    trainLoss: z.number(),
    learningRate: z.number(),
    eventsPerSecond: z.number(),
    gradientNorm: z.number(),
  }),
  z.object({
    kind: z.literal('validation'),
    step: z.number(),
    elapsedSeconds: z.number(),
    validationNll: z.number(),
    validationAccuracy: z.number(),
    best: z.boolean(),
  }),
]);

/**
 * Reads the text of a `progress.jsonl`; a line that is not a progress record is a PlotError naming `source` and the
 * line number.
 * @example parseProgressLines(await readFile('models/default/progress.jsonl', 'utf8'), 'progress.jsonl')
 */
export function parseProgressLines(text: string, source: string): ProgressRecord[] {
  const records: ProgressRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new PlotError(`${source} line ${index + 1} is not JSON`);
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) throw new PlotError(`${source} line ${index + 1} is not a progress record: ${parsed.error.issues[0]?.message ?? ''}`);
    records.push(parsed.data);
  });
  return records;
}
