import type { TokenizerName } from '../tokens/tokenizer.js';

/**
 * Sidecar of one tokenized file: `<digest>.json` beside `<digest>.tokens` (Uint16 little-endian ids).
 * Content-addressed: `digest` is the sha256 (hex) of the source MIDI bytes.
 */
export interface DatasetEntryMeta {
  schemaVersion: 1;
  digest: string;
  source: string; // original file name or upload key
  /** The S3 version of the upload the entry was made from (a versioned bucket); absent for local files. */
  sourceVersion?: string;
  tokenizer: TokenizerName;
  notes: number;
  seconds: number;
  events: number; // number of token ids
  /** Identifies the piece when the data says so (several performances of one piece share it); drives the split. */
  piece?: string;
  /** Who wrote the music, when the data says so: the `style` a model with controls learns it as ("any" when absent). */
  composer?: string;
}
