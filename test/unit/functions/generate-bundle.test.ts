import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleFunction } from '../../../fixtures/bundle-function.js';

describe('generate function bundle', () => {
  it('bundles with esbuild into one ESM file without a native addon, and stays small', async () => {
    const bundle = await bundleFunction('functions/generate/handler.ts', 'node_modules/.cache/rubato-test/generate-handler.mjs');
    const text = readFileSync(bundle.outfile, 'utf8');
    // Loading a native addon or its package, not the engine's name in the manifest schema (`engine: "tfjs-node"`).
    expect(text).not.toMatch(/(?:require\(|import\(|from\s*)["'][^"']*(?:onnxruntime|tfjs-node)|\.node["']/);
    expect(text).toMatch(/from\s*["']|require\(["']/);
    expect(bundle.packages.map((entry) => entry.name)).not.toContain('@tensorflow/tfjs-core');
    console.log(`generate bundle: ${(bundle.bytes / 1024).toFixed(0)} KiB`, bundle.packages.slice(0, 6));
    expect(bundle.bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
