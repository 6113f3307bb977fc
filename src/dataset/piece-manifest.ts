import { basename } from 'node:path';
import { parseCsvRecords } from './csv.js';

/** Which piece a file performs, looked up by content digest or by file name. */
export interface PieceManifest {
  pieceOf(file: { digest: string; source: string }): string | undefined;
  /** The `composer` column: the style a model with controls learns the file as. */
  composerOf(file: { digest: string; source: string }): string | undefined;
  /** Rows that named a piece. */
  readonly size: number;
}

/**
 * Reads a manifest CSV that says which piece each file is. Recognised columns: `file` (base name) and/or `sha256`
 * to find the row; the piece is `composer: asap_title` when there is an ASAP title (ASAP groups performances by
 * score), else `composer: maestro_canonical_title`, else `title`/`piece`. Rows without a piece are ignored, so a
 * manifest without piece columns simply names no pieces.
 *
 * @example pieceManifestFromCsv(await readFile('train_manifest.csv', 'utf8')).pieceOf({ digest, source: 'a.mid' })
 */
export function pieceManifestFromCsv(text: string): PieceManifest {
  const byDigest = new Map<string, Record<string, string>>();
  const byName = new Map<string, Record<string, string>>();
  for (const record of parseCsvRecords(text)) {
    if (!pieceOfRecord(record) && !record.composer?.trim()) continue;
    if (record.sha256) byDigest.set(record.sha256.trim().toLowerCase(), record);
    if (record.file) byName.set(basename(record.file.trim()), record);
  }
  const recordOf = ({ digest, source }: { digest: string; source: string }) => byDigest.get(digest) ?? byName.get(basename(source));
  return {
    pieceOf: (file) => {
      const record = recordOf(file);
      return record && pieceOfRecord(record);
    },
    composerOf: (file) => recordOf(file)?.composer?.trim() || undefined,
    size: Math.max(byDigest.size, byName.size),
  };
}

function pieceOfRecord(record: Record<string, string>): string | undefined {
  const composer = record.composer?.trim();
  const title = [record.asap_title, record.maestro_canonical_title, record.title, record.piece].map((value) => value?.trim()).find(Boolean);
  if (!title) return undefined;
  return composer ? `${composer}: ${title}` : title;
}

/** Merges several manifests; the first that knows a file wins. */
export function combinePieceManifests(manifests: readonly PieceManifest[]): PieceManifest {
  return {
    pieceOf: (file) => manifests.map((manifest) => manifest.pieceOf(file)).find((piece) => piece !== undefined),
    composerOf: (file) => manifests.map((manifest) => manifest.composerOf(file)).find((composer) => composer !== undefined),
    size: manifests.reduce((sum, manifest) => sum + manifest.size, 0),
  };
}
