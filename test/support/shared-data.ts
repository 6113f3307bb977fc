import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the checkout: real MIDI that is never copied into the repository. */
export const sharedDataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
export const pianoTrainDir = join(sharedDataDir, 'piano/train');
export const pianoManifestCsv = join(sharedDataDir, 'piano/train_manifest.csv');
export const midiEdgeDir = join(sharedDataDir, 'midi-edge');

export const hasSharedData = existsSync(pianoTrainDir) && existsSync(midiEdgeDir);

/** Say out loud why a suite is skipped, instead of skipping silently. */
export function explainMissingSharedData(): boolean {
  if (!hasSharedData) console.warn(`SKIPPED: shared MIDI data not found at ${sharedDataDir}`);
  return !hasSharedData;
}
