import type { ModelShape } from './config.js';
import { createFastEngine } from './engine/fast-engine.js';
import { createTfjsEngine } from './engine/tfjs-engine.js';
import type { GradientEngine } from './engine/engine.js';

/** What `--engine` accepts: a named engine, or 'auto' for the fastest one present. */
export type EngineChoice = 'auto' | 'tfjs-node' | 'fast' | 'tfjs';

export const engineChoices: readonly EngineChoice[] = ['auto', 'tfjs-node', 'fast', 'tfjs'];

/** Builds the gradient engine named by `choice` for `shape`. */
export async function resolveEngine(shape: ModelShape, choice: EngineChoice): Promise<GradientEngine> {
  if (choice === 'tfjs') return createTfjsEngine(shape, { backend: 'cpu' });
  if (choice === 'fast' || choice === 'auto') return createFastEngine(shape);
  throw new Error(`engine '${choice}' is not available yet; use --engine fast or tfjs`);
}
