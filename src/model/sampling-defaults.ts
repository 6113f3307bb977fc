import { z } from 'zod';

/** The decoding a request may leave to the model: its own defaults fill what the request does not say. */
export type DecodingChoice = 'temperature' | 'topK' | 'topP';

const decodingDefaultsSchema = z.strictObject({
  temperature: z.number().gt(0).optional(),
  topK: z.number().int().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
});

/**
 * `sampling` in a model's `manifest.json`: the decoding it was measured to play best with, for free pieces and, in
 * `withPrimer`, for continuations (a model's nucleus cut can thin its texture; a keyboard model needs top-p 0.99).
 */
export const samplingDefaultsSchema = decodingDefaultsSchema.extend({ withPrimer: decodingDefaultsSchema.optional() });

export type DecodingDefaults = z.infer<typeof decodingDefaultsSchema>;
export type SamplingDefaults = z.infer<typeof samplingDefaultsSchema>;

/**
 * The decoding of one piece: what the request gave wins over the model's own defaults (its `withPrimer` ones for a
 * continuation), which win over rubato's.
 *
 * @example
 * resolveDecoding({ temperature: 0.9 }, { topP: 0.99 }, false, { temperature: 1, topK: 0, topP: 0.95 });
 * // { temperature: 0.9, topK: 0, topP: 0.99 }
 */
export function resolveDecoding(
  given: DecodingDefaults,
  model: SamplingDefaults | undefined,
  withPrimer: boolean,
  fallback: Readonly<Record<DecodingChoice, number>>,
): Record<DecodingChoice, number> {
  const { withPrimer: forPrimer, ...forFree } = model ?? {};
  return { ...fallback, ...said(forFree), ...(withPrimer ? said(forPrimer ?? {}) : {}), ...said(given) };
}

/**
 * The decoding as `name=value` pairs, for the `X-Rubato-Sampling` header.
 *
 * @example describeDecoding({ temperature: 1, topK: 0, topP: 0.95 }) // 'temperature=1 topK=0 topP=0.95'
 */
export function describeDecoding(decoding: Readonly<Record<DecodingChoice, number>>): string {
  return `temperature=${decoding.temperature} topK=${decoding.topK} topP=${decoding.topP}`;
}

/** Only the fields that hold a value: an `undefined` one is "not said", not a value that overrides. */
function said(defaults: DecodingDefaults): DecodingDefaults {
  return Object.fromEntries(Object.entries(defaults).filter(([, value]) => value !== undefined));
}
