import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.js';

const benchmarks: Record<string, () => Promise<{ benchmark: Benchmark }>> = {
  api: () => import('./api.js'),
  control: () => import('./control.js'),
  train: () => import('./train.js'),
  generate: () => import('./generate.js'),
  preprocess: () => import('./preprocess.js'),
  serve: () => import('./serve.js'),
  hostile: () => import('./hostile.js'),
  duet: () => import('./duet.js'),
};

const [name, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const args = rest.filter((arg) => arg !== '--json');

if (!name || !(name in benchmarks)) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [--json]`);
  process.exit(2);
}

const { benchmark } = await benchmarks[name]!();
if (!json) console.log(`bench ${name}: ${benchmark.description}`);
const result = { name, date: new Date().toISOString(), node: process.version, ...(await benchmark.run(args)) };
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `${name}.json`);
await writeFile(file, JSON.stringify(result, null, 2) + '\n');
console.log(json ? JSON.stringify(result) : `${JSON.stringify(result, null, 2)}\nwritten to ${file}`);
