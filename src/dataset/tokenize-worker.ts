import { workerData } from 'node:worker_threads';
import { getTokenizer } from '../tokens/index.js';
import { NotesChordsVocabulary } from '../tokens/notes-chords-vocabulary.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { serveRequests } from '../workers/serve-requests.js';
import { tokenizeMidiFile } from './tokenize-file.js';
import type { TokenizeReply, TokenizeRequest, TokenizeWorkerSetup } from './tokenize-pool.js';

// notes-chords: each worker grows its own vocabulary and reports the symbols it appended with every reply; the pool
// maps these worker-local ids onto the dataset's vocabulary in input order.
const { tokenizer: name, limits } = workerData as TokenizeWorkerSetup;
const vocabulary = name === 'notes-chords' ? new NotesChordsVocabulary() : undefined;
const tokenizer = getTokenizer(name as TokenizerName, vocabulary);
let reportedSymbols = 0; // the first reply carries 'rest' too: the pool mirrors the whole table

await serveRequests<TokenizeRequest, TokenizeReply>(() => ({
  handle({ bytes, source, piece }) {
    const result = tokenizeMidiFile(bytes, source, tokenizer, { limits, vocabulary, ...(piece !== undefined ? { piece } : {}) });
    const symbolsFrom = reportedSymbols;
    const newSymbols: string[] = [];
    if (vocabulary) for (; reportedSymbols < vocabulary.size; reportedSymbols++) newSymbols.push(vocabulary.symbolOf(reportedSymbols)!);
    return { result, newSymbols, symbolsFrom };
  },
  transferOf: (reply) => (reply.result.ok ? [reply.result.tokens.buffer as ArrayBuffer] : []),
}));
