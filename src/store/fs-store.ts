import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { etagOf } from './etag.js';
import type { PutOptions, Store, StoredObject, VersionedObject } from './store.js';

/** A writer holding a key's lock longer than this has died; the lock is broken. */
const staleLockMs = 10_000;
const lockRetryMs = 5;

/** Random bytes in a temporary file's name: 64 bits keep concurrent writers of one key apart. */
const temporaryRandomBytes = 8;
/** A write's temporary file is the object's name + `.<hex>.tmp`; the lock's `.lock.tmp` is shorter. */
const temporarySuffixBytes = '.'.length + 2 * temporaryRandomBytes + '.tmp'.length;

/**
 * Longest part of a key (between slashes) in UTF-8 bytes that the store can write: file systems allow 255 bytes per
 * name, and the temporary file beside the object adds {@link temporarySuffixBytes}. Callers that build keys from
 * users' names (uploads) cap the names by this.
 *
 * @example
 * const fits = Buffer.byteLength(`${name}.json`) <= maxKeyPartBytes;
 */
export const maxKeyPartBytes = 255 - temporarySuffixBytes;

/**
 * The bucket as a folder: key `a/b.json` is file `<root>/a/b.json`. Writes go to a temporary file and are renamed
 * into place, so a reader never sees half an object (as with S3). Conditional writes (`ifAbsent`, `ifMatch`) hold a
 * lock file beside the object while they check and write, so two processes on one folder cannot both win. The ETag
 * is the MD5 of the bytes in quotes, as S3 gives for a single-part upload.
 *
 * @example
 * const store = new FsStore('./.rubato/bucket');
 * await store.put('uploads/a.mid', bytes);
 */
export class FsStore implements Store {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    const bytes = await this.get(key);
    return bytes === undefined ? undefined : { bytes, etag: etagOf(bytes) };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<string | undefined> {
    const path = this.pathOf(key);
    if (options.ifAbsent === undefined && options.ifMatch === undefined) {
      await writeAtomically(path, body);
      return etagOf(body);
    }
    await mkdir(dirname(path), { recursive: true });
    const unlock = await lock(path);
    try {
      const current = await this.get(key);
      if (options.ifAbsent && current !== undefined) return undefined;
      if (options.ifMatch !== undefined && (current === undefined || etagOf(current) !== options.ifMatch)) return undefined;
      await writeAtomically(path, body);
      return etagOf(body);
    } finally {
      await unlock();
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    // Walk only the deepest folder the prefix names; filter the rest by string prefix like S3 does.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await this.walk(join(this.root, folder), prefix, objects);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    // S3 has no folders: a prefix disappears with its last object, so empty parent folders go too.
    for (let folder = dirname(path); folder.startsWith(this.root + sep) && folder !== this.root; folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }

  private async walk(folder: string, prefix: string, into: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await this.walk(path, prefix, into);
      } else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        const key = relative(this.root, path).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const info = await stat(path);
        into.push({ key, size: info.size, lastModified: info.mtime });
      }
    }
  }

  private pathOf(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === '') || key.startsWith('/')) {
      throw new Error(`invalid store key "${key}": keys are relative paths without empty or ".." parts`);
    }
    return join(this.root, ...key.split('/'));
  }
}

/**
 * Temporary file, then rename: a reader sees the old bytes or the new, never half. The suffix is kept short because
 * it counts against the file system's 255 bytes per name (a UUID's 41 bytes made a legal 215-byte name fail).
 */
async function writeAtomically(path: string, body: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(temporaryRandomBytes).toString('hex')}.tmp`;
  // The folder usually exists: make it only when the open says it does not (a batch writes hundreds of entries).
  const handle = await open(temporary, 'w').catch(async (error: unknown) => {
    if (!isMissing(error)) throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(temporary, 'w');
  });
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/** Takes `<path>.lock.tmp` (the `.tmp` suffix keeps it out of listings); resolves the function that releases it. */
async function lock(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock.tmp`;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await stat(lockPath).catch(() => undefined);
    if (held && Date.now() - held.mtimeMs > staleLockMs) await rm(lockPath, { force: true });
    else await sleep(lockRetryMs);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
