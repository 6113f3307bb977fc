import { loadDataset, type Dataset } from '../../dataset/dataset-store.js';
import type { DatasetSplit } from '../../dataset/split.js';
import { FsStore } from '../../store/fs-store.js';
import { getJson } from '../../store/json.js';

/**
 * A preprocess output folder: the dataset under `tokens/` and, when preprocess wrote one, its `split.json`.
 * Throws the dataset layer's DatasetError when the folder holds no usable tokens.
 */
export async function loadTokenFolder(folder: string): Promise<{ dataset: Dataset; split?: DatasetSplit }> {
  const store = new FsStore(folder);
  const dataset = await loadDataset(store, 'tokens/');
  const split = await getJson<DatasetSplit>(store, 'split.json');
  return { dataset, ...(split ? { split } : {}) };
}
