/**
 * A worker entry URL that runs a TypeScript module through tsx whether the parent runs under tsx, vitest or plain
 * node: a tiny ESM bootstrap registers tsx in the worker, then imports the module (Node 20 ignores `--import` in
 * workers).
 *
 * @example
 * new Worker(tsxWorkerUrl(new URL('./engine-worker.ts', import.meta.url)), { workerData });
 */
export function tsxWorkerUrl(module: URL): URL {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const source = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(module.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
