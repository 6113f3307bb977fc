import type { Command } from 'commander';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { keys } from '../../pipeline/keys.js';
import { givenComposerSchema, uploadComposer } from '../../pipeline/upload-composer.js';
import { uploadClient } from '../aws/upload-client.js';
import { collectInputs, MissingInputError } from '../preprocess/collect-inputs.js';
import { InputFileError, readInputFile } from '../read-input-file.js';
import { usageError } from './usage-error.js';

/** Far above any MIDI file; the function applies the stack's own limit (MAX_UPLOAD_BYTES) and records a rejection. */
const maxFileBytes = 64 * 1024 * 1024;

const optionsSchema = z.object({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (the stack\'s BucketName output)'),
  endpointUrl: z.url({ protocol: /^https?$/ }).optional(),
  region: z.string().min(1).optional(),
  // S3 metadata travels in an HTTP header: ASCII only.
  composer: givenComposerSchema.regex(/^[\x20-\x7e]*$/, 'ASCII only, as S3 metadata is (e.g. Dvorak)').optional(),
});

/**
 * `rubato upload FILES|FOLDERS --bucket NAME [--composer NAME] [--endpoint-url URL]`: puts MIDI files under
 * `uploads/` of the stack's bucket (or the emulator's), where each one triggers the preprocess function.
 */
export function register(program: Command): void {
  program
    .command('upload')
    .description('Upload MIDI files to the bucket of a deployed (or emulated) stack; each is preprocessed and queues training')
    .argument('<paths...>', 'MIDI files, or folders searched for .mid/.midi/.rmi')
    .requiredOption('--bucket <name>', "the stack's BucketName output (the emulator's: rubato-data)")
    .option('--composer <name>', 'who wrote the music: a model with controls learns it as that style (default: any)')
    .option('--endpoint-url <url>', "S3 endpoint instead of AWS's, e.g. the emulator's http://127.0.0.1:4568 (env AWS_ENDPOINT_URL_S3)")
    .option('--region <region>', 'AWS region of the bucket (default: AWS_REGION or your AWS config)')
    .action(async (paths: string[], raw: Record<string, string | undefined>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('upload', parsed.error);
      const { bucket, endpointUrl, region, composer: givenComposer } = parsed.data;
      const composer = uploadComposer(givenComposer);
      const files = await midiFiles(paths);
      const uploads = uploadClient({ bucket, ...(endpointUrl ? { endpoint: endpointUrl } : {}), ...(region ? { region } : {}) });
      try {
        for (const { path, key } of files) {
          const bytes = await readInputFile(path, maxFileBytes).catch((error: unknown) => usageError('upload', error instanceof InputFileError ? error.message : String(error)));
          await uploads.put(key, bytes, composer);
          console.log(`${key}  ${bytes.length} bytes${composer ? `  composer ${composer}` : ''}`);
        }
      } finally {
        uploads.close();
      }
      console.log(`${files.length} file(s) uploaded to ${uploads.describe}; a rejected one gets ${keys.rejected(`${keys.uploadsPrefix}<name>`)} with the reason`);
    });
}

/** Each MIDI file and its key: `uploads/<file name>`, the extension lower-cased to one the bucket's event filter matches. */
async function midiFiles(paths: string[]): Promise<Array<{ path: string; key: string }>> {
  const { files } = await collectInputs(paths).catch((error: unknown) => usageError('upload', error instanceof MissingInputError ? error.message : String(error)));
  if (files.length === 0) usageError('upload', `no MIDI files (.mid, .midi, .rmi) in ${paths.join(', ')}`);
  const byKey = new Map<string, string>();
  for (const path of files) {
    const extension = extname(path).toLowerCase();
    const key = `${keys.uploadsPrefix}${basename(path, extname(path))}${(keys.uploadSuffixes as readonly string[]).includes(extension) ? extension : '.mid'}`;
    const earlier = byKey.get(key);
    if (earlier !== undefined) usageError('upload', `${earlier} and ${path} would both be ${key}; rename one`);
    byKey.set(key, path);
  }
  return [...byKey].map(([key, path]) => ({ path, key }));
}
