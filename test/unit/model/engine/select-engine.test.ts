import { describe, expect, it } from 'vitest';
import { EngineUnavailableError, fastEngineWorkers, selectEngine } from '../../../../src/model/engine/select-engine.js';
import { smallShape } from './engine-fixtures.js';

// tfjs-node cannot install on these machines; where it does (the cloud image) 'auto' must pick it instead.
const tfjsNodeLoads = await import('@tensorflow/tfjs-node' as string).then(() => true, () => false);

describe('selectEngine', () => {
  it.skipIf(tfjsNodeLoads)('picks the fast engine when tfjs-node does not load, and says why', async () => {
    const lines: string[] = [];

    const engine = await selectEngine(smallShape, { engine: 'auto', workers: 1, log: (line) => lines.push(line) });

    expect(engine.name).toBe('fast');
    expect(lines.join('\n')).toMatch(/tfjs-node does not load[\s\S]*engine: fast/);
    await engine.dispose();
  });

  it('gives the tfjs reference when asked', async () => {
    const engine = await selectEngine(smallShape, { engine: 'tfjs', log: () => {} });

    expect(engine.name).toBe('tfjs');
    await engine.dispose();
  });

  it.skipIf(tfjsNodeLoads)('refuses tfjs-node when it cannot load', async () => {
    await expect(selectEngine(smallShape, { engine: 'tfjs-node', log: () => {} })).rejects.toThrow(EngineUnavailableError);
  });
});

describe('fastEngineWorkers', () => {
  it.each([
    { options: {}, cores: 16, workers: 16 },
    { options: { batchSize: 64 }, cores: 2, workers: 2 },
    { options: { batchSize: 64 }, cores: 16, workers: 4 },
    { options: { batchSize: 256 }, cores: 16, workers: 16 },
    { options: { batchSize: 256, workers: 6 }, cores: 16, workers: 6 },
    { options: { batchSize: 8 }, cores: 4, workers: 1 },
  ])('$options on $cores cores → $workers workers', ({ options, cores, workers }) => {
    expect(fastEngineWorkers(options, cores)).toBe(workers);
  });
});
