import { z } from 'zod';
import { badRequest } from '../pipeline/request-errors.js';
import { keys } from '../pipeline/keys.js';
import { maxKeyPartBytes } from '../store/fs-store.js';

/**
 * Longest upload name in UTF-8 bytes: every accepted name must be storable. The name is the last part of two keys,
 * `uploads/<name>` and the rejection record `rejected/uploads/<name>.json`, so the longer one must fit the store's
 * {@link maxKeyPartBytes} (a longer name was a 500: ENAMETOOLONG).
 */
export const maxUploadNameBytes = maxKeyPartBytes - keys.rejected('').split('/').pop()!.length;

/**
 * An upload's file name as the local routes accept it: one path segment ending in .mid/.midi, not hidden, at most
 * {@link maxUploadNameBytes} bytes, and free of control characters (NUL breaks the file system call, CR/LF forge log
 * lines) and of U+FFFD, which is what a malformed percent-escape in the query decodes to.
 */
export const uploadNameSchema = z
  .string()
  .min(1, 'give the file name as ?name=<file.mid>')
  .refine((name) => Buffer.byteLength(name) <= maxUploadNameBytes, `a file name of at most ${maxUploadNameBytes} bytes (UTF-8), the longest the store can keep: shorten it`)
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'a file name without control characters (NUL, CR, LF, tab…)')
  .refine((name) => !name.includes('\ufffd'), 'a file name with valid percent-escapes (UTF-8)')
  .regex(/^[^/\\]+$/, 'a file name without slashes')
  .refine((name) => /\.(mid|midi)$/i.test(name), 'a .mid or .midi file name')
  .refine((name) => !name.startsWith('.'), 'a file name not starting with a dot');

/** A percent-encoded path segment, decoded; a malformed escape such as `%E0%A4%A` is the client's fault (400). */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('invalid-parameter', 'the path holds a malformed percent-escape: encode the name with encodeURIComponent');
  }
}
