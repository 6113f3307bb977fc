import { createLogger } from '../../src/log/logger.js';
import { defaultModelShape } from '../../src/model/config.js';
import type { EngineChoice } from '../../src/model/engine/select-engine.js';
import { resolveHyperparameters } from '../../src/model/hyperparameters.js';
import { defaultModelsKept } from '../../src/pipeline/prune-models.js';
import { runTrainer } from '../../src/pipeline/train-run.js';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';
import { isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, positiveNumber, requiredText } from '../environment.js';

// The trainer container's program: settings from the environment, adapters, then the queue loop until idle or SIGTERM.
const environment = process.env;
const logger = createLogger('rubato-trainer', environment.LOG_LEVEL);
const tokenizer = environment.TOKENIZER ?? 'performance';
if (!isTokenizerName(tokenizer)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizer}"`);
const engines: readonly EngineChoice[] = ['auto', 'tfjs-node', 'fast', 'tfjs'];
const engine = (environment.ENGINE ?? 'auto') as EngineChoice;
if (!engines.includes(engine)) throw new ConfigurationError(`ENGINE must be one of ${engines.join(', ')}, not "${engine}"`);

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info('stop signal: checkpointing and exiting', { signal });
    controller.abort();
  });
}

const { embeddingSize, units, layers } = defaultModelShape;
const exit = await runTrainer({
  store: new S3Store({ bucket: requiredText(environment, 'BUCKET_NAME') }),
  queue: new SqsQueue({ queueUrl: requiredText(environment, 'QUEUE_URL') }),
  tokenizer,
  shape: { embeddingSize, units, layers },
  hyperparameters: resolveHyperparameters(),
  minutes: positiveNumber(environment, 'TRAIN_MINUTES', 30),
  engine,
  idleExitSeconds: positiveNumber(environment, 'IDLE_EXIT_SECONDS', 900),
  heartbeatSeconds: positiveNumber(environment, 'HEARTBEAT_SECONDS', 60),
  keepModels: positiveNumber(environment, 'KEEP_MODELS', defaultModelsKept),
  signal: controller.signal,
  log: logger,
});
logger.info('trainer exits', { reason: exit.reason, runs: exit.runs });
// Idle SDK sockets must not keep a finished task alive.
process.exit(0);
