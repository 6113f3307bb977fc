import { workerData } from 'node:worker_threads';
import { generatePiece, type GeneratedPiece } from '../pipeline/generate-piece.js';
import { ModelCache } from '../pipeline/model-cache.js';
import { serverBusy } from '../pipeline/request-errors.js';
import { FsStore } from '../store/fs-store.js';
import { serveRequests } from '../workers/serve-requests.js';
import { errorToWire, type GenerateJob, type GenerateWorkerSetup } from './generate-messages.js';

// One sampling thread of the local server's generate pool: its own model cache over the same bucket (following
// models/latest.json like the in-process cache does), so a job carries only the validated params.
const setup = workerData as GenerateWorkerSetup;
const cache = new ModelCache(new FsStore(setup.bucketDir));

// Load the latest model before the first request needs it; a failure here is reported by that request instead.
cache.get('latest').catch(() => {});

await serveRequests<GenerateJob, GeneratedPiece | undefined>(() => ({
  async handle(job) {
    if (job.kind === 'latest-changed') return void cache.forgetLatest();
    // A job that waited past its deadline would sample nothing: say so at once and free the thread for the next one.
    if (Date.now() >= job.deadline) throw serverBusy('the request waited in the queue past its deadline: try again in a few seconds');
    const piece = await generatePiece(job.params, { cache, deadline: job.deadline });
    // A copy owns its whole buffer, so transferring it cannot hand over bytes of anything else.
    return { ...piece, midi: piece.midi.slice() };
  },
  transferOf: (piece) => (piece ? [piece.midi.buffer as ArrayBuffer] : []),
  describeError: errorToWire,
}));
