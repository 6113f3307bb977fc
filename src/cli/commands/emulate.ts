import type { Command } from 'commander';
import { z } from 'zod';
import { CdkAssemblyError } from '../../../emulator/cdk-assembly.js';
import { emulatorDefaults } from '../../../emulator/emulator-defaults.js';
import type { Emulator, EmulatorOptions } from '../../../emulator/start-emulator.js';
import { stopOnSignals } from '../stop-on-signals.js';
import { requireOutputFolder } from './output-folder.js';
import { usageError } from './usage-error.js';

const port = z.coerce.number().int().min(0).max(65_535);
const optionsSchema = z.object({
  s3Port: port,
  sqsPort: port,
  apiPort: port,
  dataDir: z.string().min(1),
  trainMinutes: z.coerce.number().positive().max(24 * 60),
  bundles: z.string().min(1).optional(),
});

const defaults = emulatorDefaults;

/** `rubato emulate` (= `npm run emulate`): the AWS stack's functions on this machine over local S3 and SQS servers. */
export function register(program: Command): void {
  program
    .command('emulate')
    .description('Run the AWS pipeline on this machine: local S3 (s3rver) and SQS (fauxqs), the preprocess, trainer and generate functions')
    .option('--s3-port <n>', `S3 endpoint port (0 = any free port)`, String(defaults.s3Port))
    .option('--sqs-port <n>', 'SQS endpoint port', String(defaults.sqsPort))
    .option('--api-port <n>', 'HTTP API port', String(defaults.apiPort))
    .option('--data-dir <dir>', 'folder for the bucket (kept between runs; the queues live in memory)', defaults.dataDir)
    .option('--train-minutes <n>', 'minutes each training run may take (TRAIN_MINUTES; the stack uses 30)', String(defaults.trainMinutes))
    .option('--bundles <cdk.out>', 'run the function bundles of this `cdk synth` output (each in its own process) instead of the sources')
    .action(async (raw: Record<string, string>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('emulate', parsed.error);
      const { trainMinutes, ...options } = parsed.data;
      await requireOutputFolder('emulate', '--data-dir', options.dataDir);
      // s3rver and fauxqs are development dependencies: a production install (--omit=dev) has no emulator.
      const { startEmulator } = await import('../../../emulator/start-emulator.js').catch((error: unknown) =>
        usageError('emulate', `needs the development dependencies s3rver and fauxqs: run npm ci (without --omit=dev) (${String(error)})`),
      );
      const emulator = await start(startEmulator, { ...options, environment: { ...process.env, TRAIN_MINUTES: String(trainMinutes) } });
      console.log(instructions(emulator));
      stopOnSignals(() => emulator.close());
    });
}

/** A port already taken, or a --bundles folder that is no rubato cdk.out, is the user's to fix: say which flag. */
async function start(startEmulator: (options: EmulatorOptions) => Promise<Emulator>, options: EmulatorOptions): Promise<Emulator> {
  try {
    return await startEmulator(options);
  } catch (error) {
    if (error instanceof CdkAssemblyError) usageError('emulate', `--bundles ${options.bundles}: ${error.message}`);
    const busy = error instanceof Error && /EADDRINUSE/.test(`${(error as { code?: string }).code} ${error.message}`);
    if (!busy) throw error;
    usageError('emulate', `a port is already in use (${error.message}); pick others with --s3-port, --sqs-port and --api-port`);
  }
}

/**
 * What to type next: the endpoints and the commands of the README's "Run the AWS pipeline locally" — the same rubato
 * commands as against a deployed stack, with the emulator's endpoints.
 */
export function instructions(emulator: Emulator): string {
  const aws = `AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url ${emulator.s3Endpoint}`;
  return [
    'rubato emulate: the AWS pipeline on this machine',
    `  S3 endpoint   ${emulator.s3Endpoint}   bucket ${emulator.bucket}`,
    `  SQS endpoint  ${emulator.sqsEndpoint}   queue ${emulator.queueUrl} (dead letters: ${emulator.deadLetterQueueUrl})`,
    `  HTTP API      ${emulator.apiUrl}`,
    ...Object.entries(emulator.coldStarts).map(([name, { coldStartMs, initMs }]) => `  bundle        ${name}: cold start ${coldStartMs.toFixed(0)} ms (init ${initMs.toFixed(0)} ms)`),
    '',
    'Upload MIDI (each .mid/.midi under uploads/ is preprocessed and queues a training run):',
    `  node bin/rubato.js upload piece.mid --bucket ${emulator.bucket} --endpoint-url ${emulator.s3Endpoint} --composer Chopin`,
    'See what happened to it (any S3 client works, e.g. the AWS CLI):',
    `  ${aws} s3 ls --recursive s3://${emulator.bucket}/`,
    'Check the API, then generate: the shipped default model plays at once (requests signed as on AWS):',
    `  node bin/rubato.js check --api ${emulator.apiUrl}`,
    `  node bin/rubato.js generate --api ${emulator.apiUrl} --out new-piece.mid --seconds 20`,
    'Ctrl-C stops (a running training saves a checkpoint first).',
  ].join('\n');
}
