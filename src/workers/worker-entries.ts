/**
 * Every worker-thread program, by name, as a path from the repository root. A name, not a URL relative to the
 * caller: a caller may itself run inside a bundle, where its own `import.meta.url` points into `dist/`.
 */
export const workerEntries = {
  tokenize: 'src/dataset/tokenize-worker.ts',
  engine: 'src/model/engine/engine-worker.ts',
  generate: 'src/local/generate-worker.ts',
} as const;

export type WorkerEntry = keyof typeof workerEntries;

export const workerEntryNames = Object.keys(workerEntries) as WorkerEntry[];
