// The rubato playground: wires the page's sections together. It talks to the local server's HTTP API only and loads
// its libraries and piano samples from the same origin (no build step, no CDN).
import { setUpDuet } from './duet.js';
import { setUpGenerate } from './generate.js';
import { setUpMidi } from './midi-io.js';
import { setUpModels } from './models.js';
import { Piano } from './piano.js';
import { setUpTraining } from './training.js';
import { setUpUploads } from './uploads.js';

// One sampled piano for the page: the samples load once, whichever panel plays first.
const piano = new Piano();
const generate = setUpGenerate(piano);
// The latest model as of the newest list (a promotion or a published run changes it), once the first list is in.
let latestRunId;
const refreshModels = setUpModels((models) => {
  latestRunId = models.find((model) => model.latest)?.runId;
  generate.showModels(models);
});
const firstModels = refreshModels();
setUpUploads((names) => generate.showUploads(names));
setUpTraining({ onPublished: refreshModels, latestRunId: () => firstModels.then(() => latestRunId) });
let midi;
const duet = setUpDuet({ piano, midiOutput: () => midi?.chosenOutput() });
setUpMidi({ currentPiece: generate.currentPiece, onRecording: (notes, finished) => generate.showRecording(notes, finished), onInput: duet.receiveMidi }).then((ports) => (midi = ports));
