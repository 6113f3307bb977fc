import { readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localInputReader } from '../src/cli/read-input-file.js';
import { defaultMidiLimits } from '../src/midi/midi-limits.js';
import { preprocessBatch } from '../src/pipeline/preprocess-batch.js';
import { FsStore } from '../src/store/fs-store.js';
const folder = '/work/shared/data/piano/train';
const paths = (await readdir(folder)).filter((n) => n.endsWith('.midi') || n.endsWith('.mid')).sort().map((n) => join(folder, n));
for (const jobs of [Number(process.argv[2] ?? 2)]) {
  const out = await mkdtemp(join(tmpdir(), 'pp-'));
  const t = performance.now();
  await preprocessBatch({ files: paths, read: localInputReader(defaultMidiLimits.maxBytes), store: new FsStore(out), tokenizer: 'performance', jobs });
  console.log(jobs, ((performance.now() - t) / 1000).toFixed(3));
  await rm(out, { recursive: true });
}
