import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MidiError } from '../midi/midi-error.js';
import { parseMidi } from '../midi/parse-midi.js';
import { generateLimits } from '../pipeline/generate-params.js';
import { keys } from '../pipeline/keys.js';
import { receiveUpload, UploadBeingCheckedError, UploadNameTakenError } from '../pipeline/receive-upload.js';
import { badRequest, RequestError } from '../pipeline/request-errors.js';
import type { Queue } from '../queue/queue.js';
import type { Store } from '../store/store.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import { openEventStream } from './event-stream.js';
import { readBody, readJsonBody, sendJson } from './http-io.js';
import { TrainingBusyError, type TrainingSupervisor } from './training-supervisor.js';
import type { UploadLister } from './upload-files.js';
import type { UploadTokenizer } from './upload-tokenizer.js';
import { declaredUploadBytes, type UploadAdmission } from './upload-admission.js';
import { trainBody, uploadQuery } from './local-request-schemas.js';
import { decodePathSegment } from './upload-name.js';
import type { ServerTimeouts } from './server-timeouts.js';

export interface LocalRouteDependencies {
  store: Store;
  queue: Queue;
  tokenizer: Tokenizer;
  training: TrainingSupervisor;
  uploads: UploadLister;
  /** Tokenizes uploads off the event loop. */
  uploadTokenizer: UploadTokenizer;
  /** Upload keys whose verdict is not in yet: until it is, their names take no other upload. */
  uploadsBeingChecked: Set<string>;
  /** Bounds the uploads read and tokenized at once (the others wait, or get 503). */
  uploadAdmission: UploadAdmission;
  maxUploadBytes: number;
  /** Bounds the time an upload's or a notes body may take to arrive. */
  timeouts: Pick<ServerTimeouts, 'uploadBodyMs' | 'notesBodyMs'>;
  log(line: string): void;
  /** Open event streams register here so shutdown can end them. */
  streams: Set<() => void>;
}

/**
 * Largest MIDI file `POST /api/notes` parses (on the event loop): twice the generate API's primer cap, and far above a
 * 120-second generated piece (≈100 KB). A 5 MiB file of dense events would hold the loop for over a second.
 */
const maxNotesBodyBytes = 2 * generateLimits.primerBytes;

/**
 * The routes only the local stack has, under `/api/`: uploads, the file list, training control and its live events,
 * and `POST /api/notes` (MIDI bytes → notes, for the piano roll). Resolves false for a path it does not own.
 */
export async function handleLocalRoute(
  deps: LocalRouteDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<boolean> {
  const route = `${request.method} ${url.pathname}`;
  if (request.method === 'GET' && url.pathname.startsWith('/api/uploads/')) {
    await sendUpload(deps.store, decodePathSegment(url.pathname.slice('/api/uploads/'.length)), response);
    return true;
  }
  switch (route) {
    case 'POST /api/uploads': {
      const query = parseOr400(uploadQuery, Object.fromEntries(url.searchParams));
      // Admitted before its body is read: a waiting upload's bytes stay in the kernel, not in this process.
      const release = await deps.uploadAdmission.admit(declaredUploadBytes(request, deps.maxUploadBytes));
      try {
        await receiveUploadRequest(deps, query, request, response);
      } finally {
        release();
      }
      return true;
    }
    case 'GET /api/files':
      sendJson(response, 200, { files: await deps.uploads.list() });
      return true;
    case 'GET /api/train':
      sendJson(response, 200, deps.training.getStatus());
      return true;
    case 'POST /api/train': {
      const body = parseOr400(trainBody, await readJsonBody(request, 4096));
      const entries = await deps.store.list(keys.datasetPrefix(deps.tokenizer.name));
      if (!entries.some((entry) => entry.key.endsWith('.tokens'))) {
        throw new RequestError('no-data', 409, 'no accepted MIDI files yet: upload some before training');
      }
      try {
        sendJson(response, 202, await deps.training.start(body));
      } catch (error) {
        if (error instanceof TrainingBusyError) throw new RequestError(error.code, 409, error.message, error.retryAfterSeconds);
        throw error;
      }
      return true;
    }
    case 'POST /api/train/stop':
      sendJson(response, 200, await deps.training.stop());
      return true;
    case 'GET /api/train/events': {
      let unsubscribe = () => {};
      const stream = openEventStream(response, () => {
        unsubscribe();
        deps.streams.delete(stream.close);
      });
      deps.streams.add(stream.close);
      unsubscribe = deps.training.subscribe((update) => stream.send(update.kind, update));
      return true;
    }
    case 'POST /api/notes': {
      const bytes = await readBody(request, maxNotesBodyBytes, deps.timeouts.notesBodyMs);
      try {
        const sequence = parseMidi(bytes);
        sendJson(response, 200, { totalSeconds: sequence.totalSeconds, notes: sequence.notes });
      } catch (error) {
        if (error instanceof MidiError) throw new RequestError(error.code, 422, error.message);
        throw error;
      }
      return true;
    }
    default:
      if (url.pathname.startsWith('/api/')) throw new RequestError('not-found', 404, `no route ${route}`);
      return false;
  }
}

/** `POST /api/uploads` once admitted: the body read, judged, stored and tokenized, and the verdict sent. */
async function receiveUploadRequest(
  deps: LocalRouteDependencies,
  query: z.infer<typeof uploadQuery>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const bytes = await readBody(request, deps.maxUploadBytes, deps.timeouts.uploadBodyMs);
  if (bytes.length === 0) throw new RequestError('empty-upload', 400, 'the upload is empty: send the MIDI bytes as the request body');
  let outcome;
  try {
    const labels = query.composer !== undefined ? { composer: query.composer } : {};
    const dependencies = {
      store: deps.store,
      queue: deps.queue,
      tokenizer: deps.tokenizer,
      maxBytes: deps.maxUploadBytes,
      tokenize: (bytes: Uint8Array, key: string) => deps.uploadTokenizer.tokenize(bytes, key),
      beingChecked: deps.uploadsBeingChecked,
    };
    outcome = await receiveUpload(query.name, bytes, dependencies, labels);
  } catch (error) {
    if (error instanceof UploadNameTakenError || error instanceof UploadBeingCheckedError) throw new RequestError(error.code, 409, error.message);
    throw error;
  }
  deps.log(`upload ${outcome.key}: ${outcome.status}${outcome.status === 'rejected' ? ` (${outcome.code}: ${outcome.message})` : ''}`);
  sendJson(response, outcome.status === 'rejected' ? 422 : 200, outcome);
}

/** An uploaded file's bytes (the playground sends an accepted upload back as a generate primer). */
async function sendUpload(store: Store, name: string, response: ServerResponse): Promise<void> {
  const { name: checked } = parseOr400(uploadQuery, { name });
  const bytes = await store.get(keys.uploadsPrefix + checked);
  if (!bytes) throw new RequestError('not-found', 404, `no upload named "${checked}"`);
  response.writeHead(200, { 'content-type': 'audio/midi', 'content-length': bytes.length });
  response.end(bytes);
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'request';
  throw badRequest('invalid-parameter', `${field}: ${issue.message}`);
}
