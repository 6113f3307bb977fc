import { onStopSignal } from '../../src/cli/stop-on-signals.js';
import { createLogger } from '../../src/log/logger.js';
import { runTrainer } from '../../src/pipeline/train-run.js';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { trainerSettings } from './trainer-settings.js';

// The trainer container's program: settings from the environment, adapters, then the queue loop until idle or SIGTERM.
const environment = process.env;
const logger = createLogger('rubato-trainer', environment.LOG_LEVEL);
const settings = trainerSettings(environment);

const controller = new AbortController();
onStopSignal((signal) => {
  logger.info('stop signal: checkpointing and exiting', { signal });
  controller.abort();
});

const exit = await runTrainer({
  store: new S3Store({ bucket: requiredText(environment, 'BUCKET_NAME') }),
  queue: new SqsQueue({ queueUrl: requiredText(environment, 'QUEUE_URL') }),
  ...settings,
  signal: controller.signal,
  log: logger,
});
logger.info('trainer exits', { reason: exit.reason, runs: exit.runs });
// Idle SDK sockets must not keep a finished task alive.
process.exit(0);
