import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { promoteModel } from '../../pipeline/promote-model.js';
import { isClientError } from '../../pipeline/request-errors.js';
import { FsStore } from '../../store/fs-store.js';
import { S3Store } from '../../store/s3-store.js';
import type { Store } from '../../store/store.js';
import { usageError } from './usage-error.js';

const optionsSchema = z.object({
  dataDir: z.string().min(1),
  bucket: z.string().min(3).max(63).optional(),
});

/**
 * `rubato promote <runId> [--data-dir DIR | --bucket NAME]`: makes a published model the one `latest` serves, on the
 * local server's bucket folder or on the S3 bucket of a deployed stack (AWS credentials from the environment).
 */
export function register(program: Command): void {
  program
    .command('promote')
    .description('Make a published model the one served as latest (compare-and-swap on models/latest.json)')
    .argument('<runId>', 'a run id from GET /models')
    .option('--data-dir <dir>', 'the local server\'s data folder (env RUBATO_DATA_DIR, default ./.rubato)')
    .option('--bucket <name>', 'an S3 bucket (the stack\'s BucketName output) instead of a local folder')
    .action(async (runId: string, raw: { dataDir?: string; bucket?: string }) => {
      const parsed = optionsSchema.safeParse({ dataDir: raw.dataDir ?? process.env.RUBATO_DATA_DIR ?? '.rubato', bucket: raw.bucket });
      if (!parsed.success) usageError('promote', parsed.error);
      const { dataDir, bucket } = parsed.data;
      const store: Store = bucket ? new S3Store({ bucket }) : new FsStore(join(resolve(dataDir), 'bucket'));
      try {
        const { changed } = await promoteModel(store, runId);
        console.log(changed ? `${runId} is now the latest model` : `${runId} was already the latest model`);
      } catch (error) {
        if (isClientError(error)) usageError('promote', error.message);
        throw error;
      }
    });
}
