// The rubato playground: talks to the local server's HTTP API only (no build step, no CDN).
const $ = (id) => document.getElementById(id);

/** Reads a JSON answer; throws the server's `{ error: { message } }` as an Error. */
async function jsonOf(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
  return body;
}

async function errorOf(response) {
  const body = await response.json().catch(() => ({}));
  return new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
}

// ---- uploads ----

const dropZone = $('drop-zone');
const fileInput = $('file-input');

function describe(file) {
  switch (file.status) {
    case 'accepted': return `${file.notes} notes, ${file.seconds.toFixed(1)} s, ${file.events} events`;
    case 'duplicate': return `same content as ${file.duplicateOf}`;
    case 'rejected': return `${file.code}: ${file.message}`;
    default: return 'not processed yet';
  }
}

async function refreshFiles() {
  const { files } = await jsonOf(await fetch('/api/files'));
  const body = $('files-body');
  body.replaceChildren(...files.map((file) => {
    const row = document.createElement('tr');
    row.dataset.name = file.name;
    row.dataset.status = file.status;
    for (const [text, className] of [[file.name], [file.status, file.status], [describe(file)]]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (className) cell.className = className;
      row.append(cell);
    }
    return row;
  }));
  const primer = $('primer');
  const chosen = primer.value;
  const accepted = files.filter((file) => file.status === 'accepted');
  primer.replaceChildren(new Option('none', ''), ...accepted.map((file) => new Option(file.name, file.name)));
  if (accepted.some((file) => file.name === chosen)) primer.value = chosen;
}

async function upload(files) {
  const status = $('upload-status');
  const outcomes = [];
  for (const [index, file] of [...files].entries()) {
    status.textContent = `Uploading ${file.name} (${index + 1} of ${files.length})…`;
    try {
      const response = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, headers: { 'content-type': 'audio/midi' } });
      const body = await response.json().catch(() => ({}));
      if (body.status) outcomes.push(`${file.name}: ${body.status}${body.status === 'rejected' ? ` (${body.message})` : ''}`);
      else outcomes.push(`${file.name}: failed (${body.error?.message ?? response.status})`);
    } catch (error) {
      outcomes.push(`${file.name}: failed (${error.message})`);
    }
  }
  status.textContent = outcomes.join('; ');
  await refreshFiles();
}

dropZone.addEventListener('click', () => fileInput.click());
dropZone.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    fileInput.click();
  }
});
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('over');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('over');
  if (event.dataTransfer?.files.length) upload(event.dataTransfer.files);
});
fileInput.addEventListener('change', () => {
  if (fileInput.files?.length) upload(fileInput.files).finally(() => (fileInput.value = ''));
});

// ---- training ----

const chart = { train: [], validation: [], runId: undefined };

function drawChart() {
  const canvas = $('loss-chart');
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  const points = [...chart.train.map((p) => p.loss), ...chart.validation.map((p) => p.loss)].filter(Number.isFinite);
  context.fillStyle = '#555';
  context.font = '12px system-ui, sans-serif';
  if (points.length === 0) {
    context.fillText('Loss appears here while training runs.', pad.left, height / 2);
    return;
  }
  const steps = [...chart.train, ...chart.validation].map((p) => p.step);
  const maxStep = Math.max(1, ...steps);
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  const x = (step) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (loss) => pad.top + (1 - (loss - low) / span) * (height - pad.top - pad.bottom);
  context.strokeStyle = '#ccc';
  context.beginPath();
  context.moveTo(pad.left, pad.top);
  context.lineTo(pad.left, height - pad.bottom);
  context.lineTo(width - pad.right, height - pad.bottom);
  context.stroke();
  context.fillText(high.toFixed(2), 4, pad.top + 10);
  context.fillText(low.toFixed(2), 4, height - pad.bottom);
  context.fillText(`step ${maxStep}`, width - pad.right - 60, height - 8);
  for (const [series, color] of [[chart.train, '#3b6fd8'], [chart.validation, '#d8743b']]) {
    context.strokeStyle = color;
    context.fillStyle = color;
    context.lineWidth = 2;
    context.beginPath();
    series.forEach((p, i) => (i === 0 ? context.moveTo(x(p.step), y(p.loss)) : context.lineTo(x(p.step), y(p.loss))));
    context.stroke();
    for (const p of series.length < 50 ? series : []) context.fillRect(x(p.step) - 2, y(p.loss) - 2, 4, 4);
  }
}

function formatSeconds(seconds) {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

function showState(status) {
  const running = status.state === 'running' || status.state === 'stopping';
  $('train-start').disabled = running;
  $('train-stop').disabled = status.state !== 'running';
  if (running) {
    $('train-status').textContent = `${status.state === 'stopping' ? 'Stopping (saving a checkpoint)' : 'Training'} run ${status.runId}…`;
  } else if (status.last) {
    const last = status.last;
    const words = { published: `published model ${last.runId}`, stopped: `run ${last.runId} stopped at a checkpoint; Start continues it`, interrupted: `run ${last.runId} interrupted; Start continues it`, failed: `run ${last.runId} failed: ${last.message ?? ''}` };
    $('train-status').textContent = `Idle — ${words[last.state] ?? last.state}.`;
    if (last.state === 'published') refreshModels();
  }
}

function watchTraining() {
  const events = new EventSource('/api/train/events');
  events.addEventListener('state', (event) => showState(JSON.parse(event.data).status));
  events.addEventListener('step', (event) => {
    const update = JSON.parse(event.data);
    if (update.runId !== chart.runId) Object.assign(chart, { train: [], validation: [], runId: update.runId });
    chart.train.push({ step: update.step, loss: update.trainLoss });
    $('train-status').textContent = `Training ${update.runId}: step ${update.step}, loss ${update.trainLoss.toFixed(3)}, ${Math.round(update.eventsPerSecond)} events/s, about ${formatSeconds(update.etaSeconds)} left.`;
    drawChart();
  });
  events.addEventListener('validation', (event) => {
    const update = JSON.parse(event.data);
    if (update.runId !== chart.runId) Object.assign(chart, { train: [], validation: [], runId: update.runId });
    chart.validation.push({ step: update.step, loss: update.validationLoss });
    drawChart();
  });
}

$('train-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const status = await jsonOf(await fetch('/api/train', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: Number($('train-minutes').value) }) }));
    showState(status);
  } catch (error) {
    $('train-status').textContent = `Could not start training: ${error.message}`;
  }
});
$('train-stop').addEventListener('click', async () => {
  $('train-stop').disabled = true;
  try {
    showState(await jsonOf(await fetch('/api/train/stop', { method: 'POST' })));
  } catch (error) {
    $('train-status').textContent = `Could not stop training: ${error.message}`;
  }
});

// ---- generate ----

let piece;
let objectUrl;

async function refreshModels() {
  const select = $('model');
  const chosen = select.value;
  try {
    const { models = [] } = await jsonOf(await fetch('/models'));
    select.replaceChildren(new Option('latest', 'latest'), ...models.map((model) => new Option(model.runId + (model.latest ? ' (latest)' : ''), model.runId)));
    if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
  } catch (error) {
    $('generate-status').textContent = `Could not list models: ${error.message}`;
  }
}

function base64Of(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function requestPiece(form) {
  const fields = {};
  for (const name of ['model', 'seconds', 'temperature', 'topK', 'topP', 'seed']) {
    if (form[name].value !== '') fields[name] = form[name].value;
  }
  const primerName = form.primer.value;
  if (!primerName) return fetch(`/generate?${new URLSearchParams(fields)}`);
  const primerResponse = await fetch(`/api/uploads/${encodeURIComponent(primerName)}`);
  if (!primerResponse.ok) throw await errorOf(primerResponse);
  const primer = base64Of(new Uint8Array(await primerResponse.arrayBuffer()));
  const numbers = Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, name === 'model' ? value : Number(value)]));
  return fetch('/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...numbers, primer }) });
}

function drawPianoRoll(notes, totalSeconds) {
  const canvas = $('piano-roll');
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  if (notes.length === 0) return;
  const low = Math.min(...notes.map((n) => n.pitch)) - 2;
  const high = Math.max(...notes.map((n) => n.pitch)) + 2;
  const rowHeight = height / (high - low + 1);
  const seconds = Math.max(totalSeconds, ...notes.map((n) => n.endSeconds), 0.001);
  for (let pitch = low; pitch <= high; pitch++) {
    if ([1, 3, 6, 8, 10].includes(pitch % 12)) {
      context.fillStyle = '#f2f2f5';
      context.fillRect(0, height - (pitch - low + 1) * rowHeight, width, rowHeight);
    }
  }
  for (const note of notes) {
    context.fillStyle = `hsl(220, 70%, ${70 - (note.velocity / 127) * 40}%)`;
    const x = (note.startSeconds / seconds) * width;
    const w = Math.max(2, ((note.endSeconds - note.startSeconds) / seconds) * width);
    context.fillRect(x, height - (note.pitch - low + 1) * rowHeight, w, Math.max(2, rowHeight - 1));
  }
}

$('generate-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('generate-status');
  const button = $('generate');
  button.disabled = true;
  status.textContent = 'Generating…';
  try {
    const response = await requestPiece(event.target);
    if (!response.ok) throw await errorOf(response);
    const midi = await response.blob();
    const notesResponse = await fetch('/api/notes', { method: 'POST', body: midi, headers: { 'content-type': 'audio/midi' } });
    piece = await jsonOf(notesResponse);
    drawPianoRoll(piece.notes, piece.totalSeconds);
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(midi);
    const link = $('download');
    link.href = objectUrl;
    link.download = `rubato-${response.headers.get('x-rubato-seed') ?? 'piece'}.mid`;
    link.classList.remove('disabled');
    link.setAttribute('aria-disabled', 'false');
    $('play').disabled = false;
    const seed = response.headers.get('x-rubato-seed');
    status.textContent = `Generated ${piece.notes.length} notes, ${piece.totalSeconds.toFixed(1)} s${seed ? ` (seed ${seed})` : ''}.`;
  } catch (error) {
    status.textContent = `Could not generate: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});

// ---- playback (Tone.js, served from node_modules) ----

let synth;

$('play').addEventListener('click', async () => {
  if (!piece || !window.Tone) return;
  await Tone.start();
  synth?.dispose();
  synth = new Tone.PolySynth(Tone.Synth, { envelope: { attack: 0.005, decay: 0.3, sustain: 0.3, release: 0.8 } }).toDestination();
  synth.maxPolyphony = 64;
  const start = Tone.now() + 0.1;
  for (const note of piece.notes) {
    synth.triggerAttackRelease(Tone.Frequency(note.pitch, 'midi').toFrequency(), Math.max(0.05, note.endSeconds - note.startSeconds), start + note.startSeconds, note.velocity / 127);
  }
  $('stop').disabled = false;
  $('generate-status').textContent = 'Playing.';
});
$('stop').addEventListener('click', () => {
  synth?.dispose();
  synth = undefined;
  $('stop').disabled = true;
  $('generate-status').textContent = 'Stopped.';
});

drawChart();
watchTraining();
refreshFiles().catch((error) => ($('upload-status').textContent = `Could not list files: ${error.message}`));
refreshModels();
