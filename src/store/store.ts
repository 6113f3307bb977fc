export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
  /** User metadata (S3 `x-amz-meta-*`) when the store keeps any; `head` only. */
  metadata?: Record<string, string>;
}

export interface PutOptions {
  contentType?: string;
  /** Write only if no object exists at the key (S3 `If-None-Match: *`). Resolves undefined when one did. */
  ifAbsent?: boolean;
  /**
   * Write only if the object's current ETag is this one (S3 `If-Match`): compare-and-swap with {@link Store.getVersioned}.
   * Resolves undefined when the object changed or vanished since it was read.
   */
  ifMatch?: string;
}

/** An object's bytes with the ETag that names this version of it. */
export interface VersionedObject {
  bytes: Uint8Array;
  etag: string;
}

/** The bucket port: S3 in the cloud, a folder on one machine. Keys use `/` separators. */
export interface Store {
  get(key: string): Promise<Uint8Array | undefined>;
  /** The bytes and their ETag, for a later `put(..., { ifMatch: etag })`. */
  getVersioned(key: string): Promise<VersionedObject | undefined>;
  head(key: string): Promise<StoredObject | undefined>;
  /**
   * Writes the object; resolves the ETag of the bytes written (for the next `ifMatch`, without a second read that
   * could see a rival's write), or undefined when a condition failed.
   */
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<string | undefined>;
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
}
