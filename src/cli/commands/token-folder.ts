import { createHash } from 'node:crypto';
import type { DatasetEntryMeta } from '../../dataset/entry.js';
import type { TrainingDataset } from '../../model/training-data.js';
import { FsStore } from '../../store/fs-store.js';
import { getJson } from '../../store/json.js';
import { getTokenizer } from '../../tokens/index.js';

/** The folder given as --data holds no usable tokens. */
export class TokenFolderError extends Error {
  override name = 'TokenFolderError';
}

/** Reads every `tokens/<digest>.json` + `.tokens` pair of a preprocess output folder into a dataset. */
export async function loadTokenFolder(folder: string): Promise<TrainingDataset> {
  const store = new FsStore(folder);
  const metaKeys = (await store.list('tokens/')).map((object) => object.key).filter((key) => key.endsWith('.json'));
  if (metaKeys.length === 0) throw new TokenFolderError(`no tokenized files in ${folder}/tokens/: run preprocess first`);
  const entries = [];
  for (const key of metaKeys) {
    const meta = (await getJson<DatasetEntryMeta>(store, key))!;
    const bytes = await store.get(key.replace(/\.json$/, '.tokens'));
    if (!bytes) throw new TokenFolderError(`${folder}/${key} has no .tokens beside it`);
    entries.push({ meta, tokens: new Uint16Array(bytes.slice().buffer) });
  }
  const tokenizerName = entries[0]!.meta.tokenizer;
  const digest = createHash('sha256').update(entries.map((entry) => entry.meta.digest).sort().join('\n')).digest('hex');
  return { tokenizer: getTokenizer(tokenizerName), entries, digest };
}
