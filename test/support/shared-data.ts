import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/data` beside the checkout: real MIDI that is never copied into the repository. Only checks that are
 * about real playing or about those very files read it (the README lists them); the rest make their MIDI in code.
 */
export const sharedDataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
export const pianoTrainDir = join(sharedDataDir, 'piano/train');
export const pianoManifestCsv = join(sharedDataDir, 'piano/train_manifest.csv');
export const midiEdgeDir = join(sharedDataDir, 'midi-edge');

export const hasSharedData = existsSync(pianoTrainDir) && existsSync(midiEdgeDir);

/**
 * True when the shared data is absent, after saying which checks are skipped and why, so a skip is never silent.
 *
 * @example describe.skipIf(explainMissingSharedData('the golden test on real performances'))('…', () => {})
 */
export function explainMissingSharedData(what: string): boolean {
  if (!hasSharedData) console.warn(`SKIPPED ${what}: it needs the real MIDI of ../shared/data, not found at ${sharedDataDir}`);
  return !hasSharedData;
}
