import type { Command } from 'commander';
import { z } from 'zod';
import { defaultLocalPort, startLocalServer } from '../../local/local-server.js';
import { trainOverridesSchema } from '../../local/training-messages.js';
import { shippedSummary } from '../shipped-summary.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { requireOutputFolder } from './output-folder.js';
import { usageError } from './usage-error.js';

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  trainOverrides: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined) return {};
      try {
        return trainOverridesSchema.parse(JSON.parse(text));
      } catch (error) {
        context.addIssue({ code: 'custom', message: `RUBATO_TRAIN_OVERRIDES is not valid: ${error instanceof Error ? error.message : String(error)}` });
        return z.NEVER;
      }
    }),
});

/** `rubato serve` (= `npm start`): the whole system on this machine with the web playground. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the whole system on this machine: the HTTP API, uploads, training in a worker and the web playground')
    .option('--port <n>', `port to listen on (env RUBATO_PORT, default ${defaultLocalPort}; 0 = any free port)`)
    .option('--host <address>', 'address to listen on (env RUBATO_HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'folder for uploads, datasets, checkpoints and models (env RUBATO_DATA_DIR, default ./.rubato)')
    .action(async (raw: { port?: string; host?: string; dataDir?: string }) => {
      const parsed = optionsSchema.safeParse({
        port: raw.port ?? process.env.RUBATO_PORT ?? defaultLocalPort,
        host: raw.host ?? process.env.RUBATO_HOST ?? '127.0.0.1',
        dataDir: raw.dataDir ?? process.env.RUBATO_DATA_DIR ?? '.rubato',
        // Undocumented on purpose: tests and demos shrink the network so a run takes seconds.
        trainOverrides: process.env.RUBATO_TRAIN_OVERRIDES,
      });
      if (!parsed.success) usageError('serve', parsed.error);
      const options = parsed.data;
      await requireOutputFolder('serve', raw.dataDir === undefined && process.env.RUBATO_DATA_DIR ? 'RUBATO_DATA_DIR' : '--data-dir', options.dataDir);
      const server = await startLocalServer({
        port: options.port,
        host: options.host,
        dataDir: options.dataDir,
        train: options.trainOverrides,
        log: (line) => console.log(`[rubato] ${line}`),
      });
      console.log(
        `rubato playground: ${server.url}  (data in ${server.dataDir}; shipped models ${shippedSummary(server.shipped)}; Ctrl-C stops and checkpoints training)`,
      );
      stopOnSignals(() => server.close());
    });
}
