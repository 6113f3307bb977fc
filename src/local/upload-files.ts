import { datasetEntryMetaSchema } from '../dataset/entry-meta-schema.js';
import { digestOf } from '../dataset/tokenize-file.js';
import { warnDamaged } from '../log/damaged-object.js';
import { silentLog, type PipelineLog } from '../log/log.js';
import { keys } from '../pipeline/keys.js';
import { rejectionRecordSchema } from '../pipeline/rejection-record.js';
import { getJson, type DamagedJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';

/** One uploaded file as the playground lists it. */
export type UploadedFile =
  | { key: string; name: string; size: number; uploadedAt: string; status: 'accepted'; digest: string; notes: number; seconds: number; events: number }
  | { key: string; name: string; size: number; uploadedAt: string; status: 'duplicate'; digest: string; duplicateOf: string }
  | { key: string; name: string; size: number; uploadedAt: string; status: 'rejected'; code: string; message: string }
  | { key: string; name: string; size: number; uploadedAt: string; status: 'pending' }
  /** What preprocessing recorded about the file no longer reads: `message` names the object and what is wrong. */
  | { key: string; name: string; size: number; uploadedAt: string; status: 'damaged'; message: string };

/**
 * Every object under `uploads/` with what preprocessing made of it, read back from the bucket alone: `rejected/` holds
 * refusals with their reason; a dataset entry whose `source` is the upload marks it accepted, one with another source
 * a duplicate of that file. Digests are cached by key, size and time, so listing re-reads only new uploads. A record
 * that does not read shows its upload as damaged (logged once), never fails the whole list.
 */
export class UploadLister {
  private readonly digests = new Map<string, { stamp: string; digest: string }>();

  constructor(
    private readonly store: Store,
    private readonly tokenizer: TokenizerName,
    private readonly log: PipelineLog = silentLog,
  ) {}

  async list(): Promise<UploadedFile[]> {
    const uploads = await this.store.list(keys.uploadsPrefix);
    const files: UploadedFile[] = [];
    for (const upload of uploads) {
      const base = {
        key: upload.key,
        name: upload.key.slice(keys.uploadsPrefix.length),
        size: upload.size,
        uploadedAt: upload.lastModified.toISOString(),
      };
      const rejection = await getJson(this.store, keys.rejected(upload.key), rejectionRecordSchema);
      if (rejection.status === 'damaged') {
        files.push(this.damaged(base, rejection, 'its rejection record'));
        continue;
      }
      if (rejection.status === 'valid') {
        files.push({ ...base, status: 'rejected', code: rejection.value.code, message: rejection.value.message });
        continue;
      }
      const digest = await this.digestOf(upload.key, `${upload.size}:${upload.lastModified.getTime()}`);
      const read = digest ? await getJson(this.store, keys.datasetMeta(this.tokenizer, digest), datasetEntryMetaSchema) : undefined;
      if (read?.status === 'damaged') {
        files.push(this.damaged(base, read, 'its dataset entry (training leaves it out)'));
        continue;
      }
      const meta = read?.status === 'valid' ? read.value : undefined;
      if (!digest || !meta) files.push({ ...base, status: 'pending' });
      else if (meta.source === upload.key) files.push({ ...base, status: 'accepted', digest, notes: meta.notes, seconds: meta.seconds, events: meta.events });
      else files.push({ ...base, status: 'duplicate', digest, duplicateOf: meta.source });
    }
    return files.sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : a.uploadedAt > b.uploadedAt ? -1 : a.name < b.name ? -1 : 1));
  }

  private damaged(base: Omit<UploadedFile, 'status'>, damage: DamagedJson, what: string): UploadedFile {
    warnDamaged(this.log, damage, `listing ${base.key} as damaged`);
    return { ...base, status: 'damaged', message: `${what} ${damage.key} is damaged (${damage.reason})` };
  }

  private async digestOf(key: string, stamp: string): Promise<string | undefined> {
    const cached = this.digests.get(key);
    if (cached?.stamp === stamp) return cached.digest;
    const bytes = await this.store.get(key);
    if (!bytes) return undefined;
    const digest = digestOf(bytes);
    this.digests.set(key, { stamp, digest });
    return digest;
  }
}
