import { DatasetError } from '../../dataset/dataset-error.js';
import { loadDataset, type Dataset } from '../../dataset/dataset-store.js';
import { datasetSplitSchema, type DatasetSplit } from '../../dataset/split.js';
import { FsStore } from '../../store/fs-store.js';
import { getJson } from '../../store/json.js';

/**
 * A preprocess output folder: the dataset under `tokens/` and, when preprocess wrote one, its `split.json`.
 * Throws the dataset layer's DatasetError when the folder holds no usable tokens or a damaged `split.json` (a split
 * guessed anew could put validation files into training).
 */
export async function loadTokenFolder(folder: string): Promise<{ dataset: Dataset; split?: DatasetSplit }> {
  const store = new FsStore(folder);
  const dataset = await loadDataset(store, 'tokens/');
  const split = await getJson(store, 'split.json', datasetSplitSchema);
  if (split.status === 'damaged') throw new DatasetError(`${folder}/split.json is damaged (${split.reason}): run preprocess again`);
  return { dataset, ...(split.status === 'valid' ? { split: split.value } : {}) };
}
