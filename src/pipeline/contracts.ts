/** `models/latest.json`: written last, in one PUT, once every file of the run is in place. */
export interface LatestPointer {
  schemaVersion: 1;
  runId: string;
  publishedAt: string; // ISO time
}

/** Body of a "train requested" queue message. Many of them coalesce into one run. */
export interface TrainRequest {
  schemaVersion: 1;
  requestedAt: string; // ISO time
  reason: string; // e.g. "uploads/a.mid accepted"
  tokenizer: 'performance' | 'notes-chords';
  /** The run's whole budget; absent: the trainer's default. Coalesced requests train for the largest asked. */
  minutes?: number;
  /** Start from random weights instead of the latest compatible model; one such request makes the run start so. */
  fromScratch?: boolean;
}

/** What happened to one upload. */
export type PreprocessOutcome =
  | { status: 'accepted'; key: string; digest: string; events: number; notes: number; seconds: number }
  | { status: 'duplicate'; key: string; digest: string }
  | { status: 'rejected'; key: string; code: string; message: string }
  /** The key was uploaded again after (or while) this version was read: the newer upload is the one judged and kept. */
  | { status: 'superseded'; key: string; message: string };

/** `rejected/<upload key>.json` */
export interface RejectionRecord {
  schemaVersion: 1;
  key: string;
  code: string;
  message: string;
  rejectedAt: string;
}
