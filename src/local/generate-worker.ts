import { parentPort, workerData } from 'node:worker_threads';
import { generatePiece } from '../pipeline/generate-piece.js';
import { ModelCache } from '../pipeline/model-cache.js';
import { ServerBusyError } from '../pipeline/request-errors.js';
import { FsStore } from '../store/fs-store.js';
import { errorToWire, type GenerateJob, type GenerateJobResult, type GenerateWorkerSetup } from './generate-messages.js';

// One sampling thread of the local server's generate pool: its own model cache over the same bucket (following
// models/latest.json like the in-process cache does), so a job carries only the validated params.
const setup = workerData as GenerateWorkerSetup;
const port = parentPort!;
const cache = new ModelCache(new FsStore(setup.bucketDir));

// Load the latest model before the first request needs it; a failure here is reported by that request instead.
cache.get('latest').catch(() => {});

port.on('message', (job: GenerateJob) => {
  // A job that waited past its deadline would sample nothing: say so at once and free the thread for the next one.
  if (Date.now() >= job.deadline) {
    const error = new ServerBusyError('the request waited in the queue past its deadline: try again in a few seconds');
    return port.postMessage({ id: job.id, ok: false, error: errorToWire(error) } satisfies GenerateJobResult);
  }
  generatePiece(job.params, { cache, deadline: job.deadline }).then(
    (piece) => {
      // A copy owns its whole buffer, so transferring it cannot hand over bytes of anything else.
      const midi = piece.midi.slice();
      const result: GenerateJobResult = { id: job.id, ok: true, piece: { ...piece, midi } };
      port.postMessage(result, [midi.buffer]);
    },
    (error: unknown) => port.postMessage({ id: job.id, ok: false, error: errorToWire(error) } satisfies GenerateJobResult),
  );
});
