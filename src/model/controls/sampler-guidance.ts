import type { Guidance } from '../sampler.js';
import type { ControlRequest, ControlSpec } from './control-spec.js';
import { dynamicsGuidance, velocityIds } from './dynamics-guidance.js';
import { keyGuidance } from './key-guidance.js';

/**
 * What the sampler leans on besides the trained inputs: NOTE_ONs toward a requested key, VELOCITY events toward a
 * requested dynamic (louder or softer, not more or fewer); undefined when neither is asked.
 *
 * @example
 * sampler.generate({ stop, decoding, guidance: samplerGuidance(model.manifest.controls, { key, dynamics: 'p' }) });
 */
export function samplerGuidance(
  spec: ControlSpec,
  request: Pick<ControlRequest, 'key' | 'dynamics'>,
): Guidance | undefined {
  const parts = [request.key && keyGuidance(spec, request.key), request.dynamics && dynamicsGuidance(spec, request.dynamics)].filter(
    (part): part is Float64Array => part instanceof Float64Array,
  );
  if (parts.length === 0) return undefined;
  const [idWeights, ...rest] = parts;
  for (const part of rest) for (let id = 0; id < idWeights!.length; id++) idWeights![id]! *= part[id]!;
  return { idWeights: idWeights!, ...(request.dynamics ? { keepTotals: [velocityIds] } : {}) };
}
