import { build } from 'esbuild';

export interface FunctionBundle {
  outfile: string;
  bytes: number;
  /** Bytes of bundled input per npm package (or "rubato" for our own code), largest first. */
  packages: Array<{ name: string; bytes: number }>;
}

/**
 * Bundles a Lambda entry the way the CDK app does (esbuild, one ESM file, the AWS SDK left to the runtime) but with
 * nothing else external: a native addon reachable from the entry would be pulled in (or fail the build) here.
 *
 * @example
 * const { bytes } = await bundleFunction('functions/generate/handler.ts', 'node_modules/.cache/rubato/generate.mjs');
 */
export async function bundleFunction(entry: string, outfile: string): Promise<FunctionBundle> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);" },
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const perPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'rubato';
    perPackage.set(name, (perPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    outfile,
    bytes: output.bytes,
    packages: [...perPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}
