// Types of generate-fields.js for the Node tests that import it (the page itself has no build step).

export interface FieldLimits {
  min?: number;
  exclusive: boolean;
  max?: number;
  default?: number;
  integer: boolean;
}
export interface DecodingDefaults {
  temperature?: number;
  topK?: number;
  topP?: number;
}
export interface SamplingDefaults extends DecodingDefaults {
  withPrimer?: DecodingDefaults;
}
export const numberFields: readonly string[];
export const decodingFields: readonly string[];
export function limitsOf(openapi: unknown): Record<string, FieldLimits>;
export function decodingDefaults(limits: Record<string, FieldLimits>, sampling: SamplingDefaults | null | undefined, withPrimer: boolean): Record<string, number | undefined>;
export function changedValues(values: Record<string, string>, defaults: Record<string, number | undefined>): Record<string, number>;
