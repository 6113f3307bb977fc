export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
  /** Write only if no object exists at the key (S3 `If-None-Match: *`). Resolves false when one did. */
  ifAbsent?: boolean;
}

/** The bucket port: S3 in the cloud, a folder on one machine. Keys use `/` separators. */
export interface Store {
  get(key: string): Promise<Uint8Array | undefined>;
  head(key: string): Promise<StoredObject | undefined>;
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<boolean>;
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
}
