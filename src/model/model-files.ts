import { z } from 'zod';
import type { Store } from '../store/store.js';
import { getJson, putJson } from '../store/json.js';
import { parameterCount, parameterLayout, type ModelShape } from './config.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import { modelManifestSchema, type ModelManifest } from './manifest.js';

/** Parameters plus the manifest that says what they are: what training produces and what saveModel writes. */
export interface TrainedModel {
  manifest: ModelManifest;
  parameters: Float32Array;
}

/** A model read back from its files; `parameters` laid out by `parameterLayout(shape)`. */
export interface LoadedModel extends TrainedModel {
  shape: ModelShape;
}

export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

/** One of the model's JSON files does not read: `key` and `reason` as getJson found them. */
export class DamagedModelFileError extends ModelFilesError {
  override name = 'DamagedModelFileError';

  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key} is damaged (${reason})`);
  }
}

export const modelFileNames = {
  topology: 'model.json',
  shard: 'group1-shard1of1.bin',
  manifest: 'manifest.json',
} as const;

interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'float16'; original_dtype: 'float32' };
}

interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: WeightsManifestEntry[] }>;
}

/**
 * What {@link loadModel} reads of a `model.json`: the weights manifest. Other tfjs fields are left as they are, so a
 * layers model written by tfjs itself reads too; a quantization other than float16 is refused, not misread as float32.
 */
const layersModelJsonSchema = z.looseObject({
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string().min(1)),
      weights: z.array(
        z.object({
          name: z.string(),
          shape: z.array(z.number().int().nonnegative()),
          dtype: z.literal('float32'),
          quantization: z.object({ dtype: z.literal('float16'), original_dtype: z.literal('float32') }).optional(),
        }),
      ),
    }),
  ),
});

/**
 * Writes `<prefix>model.json` + `<prefix>group1-shard1of1.bin` (tfjs layers format, float16 when the manifest says
 * so) and `<prefix>manifest.json`, the manifest last.
 *
 * @example
 * await saveModel(new FsStore('models'), 'default/', { manifest, parameters });
 */
export async function saveModel(store: Store, prefix: string, model: TrainedModel): Promise<void> {
  const { manifest, parameters } = model;
  if (parameters.length !== parameterCount(manifest.shape)) {
    throw new ModelFilesError(
      `saveModel: ${parameters.length} parameters do not fit shape ${JSON.stringify(manifest.shape)}`,
    );
  }
  const half = manifest.weightsDtype === 'float16';
  const { layersTopology } = await import('./layers-topology.js');
  const modelJson: LayersModelJson = {
    format: 'layers-model',
    generatedBy: 'rubato',
    convertedBy: null,
    modelTopology: await layersTopology(manifest.shape),
    weightsManifest: [
      {
        paths: [modelFileNames.shard],
        weights: parameterLayout(manifest.shape).map((spec) => ({
          name: spec.name,
          shape: spec.shape,
          dtype: 'float32',
          ...(half ? { quantization: { dtype: 'float16', original_dtype: 'float32' } as const } : {}),
        })),
      },
    ],
  };
  const shardValues = half ? encodeFloat16(parameters) : parameters;
  await store.put(prefix + modelFileNames.shard, new Uint8Array(shardValues.buffer.slice(0)), {
    contentType: 'application/octet-stream',
  });
  await putJson(store, prefix + modelFileNames.topology, modelJson);
  await putJson(store, prefix + modelFileNames.manifest, manifest);
}

/**
 * Reads a model saved by `saveModel` (or any tfjs layers model of the same layers and names) without tfjs.
 * Throws ModelFilesError naming the file when something is missing, damaged or does not match the manifest.
 */
export async function loadModel(store: Store, prefix: string): Promise<LoadedModel> {
  const manifest = await readModelFile(store, prefix, modelFileNames.manifest, modelManifestSchema);
  const modelJson = await readModelFile(store, prefix, modelFileNames.topology, layersModelJsonSchema);
  const shape = manifest.shape;
  const parameters = new Float32Array(parameterCount(shape));
  const specsByName = new Map(parameterLayout(shape).map((spec) => [spec.name, spec]));
  let filled = 0;
  for (const group of modelJson.weightsManifest) {
    const shards = await Promise.all(
      group.paths.map(async (path) => {
        const bytes = await store.get(prefix + path);
        if (!bytes) throw new ModelFilesError(`model "${prefix}": weight shard ${path} is missing`);
        return bytes;
      }),
    );
    const groupBytes = concatenate(shards);
    let offset = 0;
    for (const weight of group.weights) {
      const spec = specsByName.get(weight.name);
      const size = weight.shape.reduce((a, b) => a * b, 1);
      if (!spec || spec.size !== size) {
        throw new ModelFilesError(`model "${prefix}": weight ${weight.name} ${JSON.stringify(weight.shape)} does not fit the manifest's shape`);
      }
      const bytesPerValue = weight.quantization?.dtype === 'float16' ? 2 : 4;
      const slice = groupBytes.slice(offset, offset + size * bytesPerValue);
      if (slice.length !== size * bytesPerValue) throw new ModelFilesError(`model "${prefix}": weight shard is too short`);
      const values = bytesPerValue === 2 ? decodeFloat16(new Uint16Array(slice.buffer)) : new Float32Array(slice.buffer);
      parameters.set(values, spec.offset);
      offset += slice.length;
      filled += size;
    }
  }
  if (filled !== parameters.length) throw new ModelFilesError(`model "${prefix}": weights cover ${filled} of ${parameters.length} parameters`);
  return { manifest, shape, parameters };
}

/** One JSON file of the model under `prefix`, checked by its schema; a ModelFilesError names the file when it is absent or damaged. */
async function readModelFile<T>(store: Store, prefix: string, name: string, schema: z.ZodType<T>): Promise<T> {
  const read = await getJson(store, prefix + name, schema);
  if (read.status === 'absent') throw new ModelFilesError(`no model at "${prefix}": ${name} is missing`);
  if (read.status === 'damaged') throw new DamagedModelFileError(read.key, read.reason);
  return read.value;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
