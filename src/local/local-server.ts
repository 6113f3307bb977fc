import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { PipelineLog } from '../log/log.js';
import { RequestError } from '../pipeline/request-errors.js';
import { MemoryQueue } from '../queue/memory-queue.js';
import { FsStore } from '../store/fs-store.js';
import { getTokenizer } from '../tokens/index.js';
import { answerClientError } from './client-error.js';
import { createCloudRoutes } from './cloud-routes.js';
import { GeneratePool } from './generate-pool.js';
import { handleLocalRoute, type LocalRouteDependencies } from './local-routes.js';
import { committedShipment } from '../model/committed-models.js';
import { publishShippedModels, type ShippedOutcome } from '../pipeline/shipped-models.js';
import { serveRunProgress } from './progress-route.js';
import { createRequestGuard, type RequestGuard } from './request-guard.js';
import { answerFailedRequest } from './request-failure.js';
import { requestUrl } from './request-url.js';
import { defaultServerTimeouts, nodeServerTimeouts, type ServerTimeouts } from './server-timeouts.js';
import { setSecurityHeaders } from './security-headers.js';
import { serveStatic } from './static-files.js';
import type { TrainOverrides } from './training-messages.js';
import { TrainingSupervisor } from './training-supervisor.js';
import { UploadLister } from './upload-files.js';
import { UploadTokenizer } from './upload-tokenizer.js';
import { UploadAdmission, uploadAdmissionLimits } from './upload-admission.js';

export interface LocalServerOptions {
  /** 0 picks a free port. Default 8600. */
  port?: number;
  /** Default 127.0.0.1: the playground is for this machine only. */
  host?: string;
  /** Holds `bucket/` (the filesystem store). Default `./.rubato`. */
  dataDir?: string;
  /** Largest upload accepted, bytes. Default 5 MiB. */
  maxUploadBytes?: number;
  /** Model shape / hyperparameter overrides for training runs (tests: a tiny network). */
  train?: TrainOverrides;
  /**
   * Models published into the store at every start, laid out as the repository's `models/` folder (`default/` is
   * served first, the others beside it). Default: the committed `models/`.
   */
  shippedModelsDir?: string;
  /** How long clients may take to send their requests. Default {@link defaultServerTimeouts} (tests: shorter). */
  timeouts?: Partial<ServerTimeouts>;
  log?(line: string): void;
}

export interface LocalServer {
  url: string;
  dataDir: string;
  /** What publishing the shipped models did on this start. */
  shipped: ShippedOutcome[];
  /** Stops accepting, ends event streams, checkpoints a running training and waits for its worker, stops the generate pool. */
  close(): Promise<void>;
}

export const defaultLocalPort = 8600;

/**
 * The whole system on one machine: the cloud's HTTP API (`/generate`, `/models`, `/models/<runId>/promote`,
 * `/health`) and the local `/api/*` routes over a filesystem bucket and an in-memory queue, plus the `web/`
 * playground. Uploads, training and publishing run the cloud's use cases (`receiveUpload` → `preprocessUpload`,
 * the queue → `runTrainer` in a worker → `publishModel`).
 *
 * @example
 * const server = await startLocalServer({ port: 0, dataDir: '/tmp/rubato' });
 * console.log(server.url); // http://127.0.0.1:41234/
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir ?? '.rubato');
  const bucketDir = join(dataDir, 'bucket');
  const store = new FsStore(bucketDir);
  const pipelineLog: PipelineLog = {
    info: () => {},
    warn: (message, details) => log(`warning: ${message} ${JSON.stringify(details)}`),
    error: (message, details) => log(`${message}: ${String(details.error instanceof Error ? details.error.stack : JSON.stringify(details))}`),
  };
  const shipped = await publishShippedModels(store, committedShipment(options.shippedModelsDir), pipelineLog);
  const tokenizer = getTokenizer('performance');
  const queue = new MemoryQueue();
  const training = new TrainingSupervisor(store, queue, bucketDir, tokenizer.name, options.train ?? {}, log);
  const maxUploadBytes = options.maxUploadBytes ?? 5 * 1024 * 1024;
  const timeouts = { ...defaultServerTimeouts, ...options.timeouts };
  const deps: LocalRouteDependencies = {
    store,
    queue,
    tokenizer,
    training,
    uploads: new UploadLister(store, tokenizer.name, pipelineLog),
    uploadTokenizer: new UploadTokenizer(tokenizer.name),
    uploadsBeingChecked: new Set(),
    uploadAdmission: new UploadAdmission(uploadAdmissionLimits(maxUploadBytes)),
    maxUploadBytes,
    timeouts,
    log,
    streams: new Set(),
  };
  const generatePool = new GeneratePool(bucketDir);
  const cloud = createCloudRoutes(store, pipelineLog, {
    generate: (params, deadline) => generatePool.generate(params, deadline),
    latestChanged: () => generatePool.latestChanged(),
  });
  // A finished run has published, and may have become latest: the workers follow at once, as after a promotion.
  training.subscribe((update) => {
    if (update.kind === 'state' && update.status.state === 'finished') void generatePool.latestChanged();
  });

  let guard: RequestGuard = () => {
    throw new RequestError('starting', 503, 'the server is starting');
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    setSecurityHeaders(response);
    const url = requestUrl(request.url);
    guard(request, url.pathname);
    if (await serveRunProgress(store, request.method, url, response, pipelineLog)) return;
    if (await handleLocalRoute(deps, request, response, url)) return;
    if (request.method === 'GET' && (await serveStatic(url.pathname, response))) return;
    await cloud(request, response, url);
  };
  const server = createServer(nodeServerTimeouts(timeouts), (request, response) => {
    handle(request, response).catch((error: unknown) => answerFailedRequest(request, response, error, log));
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 30_000;
  const boundHost = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? defaultLocalPort, boundHost, () => {
      guard = createRequestGuard(boundHost, (server.address() as AddressInfo).port);
      resolveListen();
    });
  }).catch(async (error: unknown) => {
    await generatePool.close();
    throw error;
  });
  await training.restore();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}/`,
    dataDir,
    shipped,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((done) => server.close(() => done()));
        for (const end of deps.streams) end();
        server.closeIdleConnections();
        await training.shutdown();
        server.closeAllConnections();
        await stopped;
        await Promise.all([generatePool.close(), deps.uploadTokenizer.close()]);
      })()),
  };
}
