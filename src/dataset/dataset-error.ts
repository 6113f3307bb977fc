/** A stored dataset that cannot be used as it is: missing or mismatched files, mixed tokenizers, no vocabulary. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}
