// The rubato playground: wires the page's sections together. It talks to the local server's HTTP API only and loads
// its libraries and piano samples from the same origin (no build step, no CDN).
import { setUpGenerate } from './generate.js';
import { setUpMidi } from './midi-io.js';
import { setUpModels } from './models.js';
import { setUpTraining } from './training.js';
import { setUpUploads } from './uploads.js';

const generate = setUpGenerate();
const refreshModels = setUpModels((models) => generate.showModels(models));
const models = refreshModels();
setUpUploads((names) => generate.showUploads(names));
setUpTraining({ onPublished: refreshModels, latestRunId: async () => (await models).find((model) => model.latest)?.runId });
setUpMidi({ currentPiece: generate.currentPiece, onRecording: (notes, finished) => generate.showRecording(notes, finished) });
