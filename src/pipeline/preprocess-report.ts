import type { TokenizerName } from '../tokens/tokenizer.js';

export interface AcceptedFile {
  file: string;
  digest: string;
  notes: number;
  seconds: number;
  events: number;
  piece?: string;
  /** Same bytes as this earlier input: stored once. */
  duplicateOf?: string;
  /** Already in the output folder from an earlier run: left as it was. */
  existing?: true;
}

export interface RejectedFile {
  file: string;
  code: string;
  message: string;
}

/** `DIR/report.json`: one line for every input file, accepted or rejected. */
export interface PreprocessReport {
  schemaVersion: 1;
  tokenizer: TokenizerName;
  jobs: number;
  totals: {
    files: number;
    accepted: number;
    rejected: number;
    duplicates: number;
    notes: number;
    musicSeconds: number;
    events: number;
    /** Wall-clock seconds the run took. */
    seconds: number;
  };
  accepted: AcceptedFile[];
  rejected: RejectedFile[];
}

/** The one-paragraph summary printed at the end of a run. */
export function summarize(report: PreprocessReport): string {
  const { totals } = report;
  const hours = (totals.musicSeconds / 3600).toFixed(2);
  return [
    `${totals.files} files: ${totals.accepted} accepted (${totals.duplicates} duplicates), ${totals.rejected} rejected`,
    `${totals.notes} notes, ${hours} h of music, ${totals.events} ${report.tokenizer} events`,
    `${totals.seconds.toFixed(1)} s with ${report.jobs} worker${report.jobs === 1 ? '' : 's'}`,
  ].join('\n');
}
