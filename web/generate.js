// Section 4: generate a piece with the chosen model, controls and primer; show it in the roll and play it.
import { $, base64Of, errorOf, jsonOf } from './api.js';
import { controlParams, setUpPresets, showControls } from './controls.js';
import { midiFileOf } from './midi-messages.js';
import { modelName } from './models.js';
import { setUpNumberFields } from './number-fields.js';
import { setUpPlayback } from './playback.js';
import { primerEndInPiece } from './primer-span.js';

const recordedPrimer = '(recorded)';

async function notesOf(midi) {
  return jsonOf(await fetch('/api/notes', { method: 'POST', body: midi, headers: { 'content-type': 'audio/midi' } }));
}

/** Wires the generate form; its piece plays on `piano`, the page's one sampled piano. */
export function setUpGenerate(piano) {
  const status = $('generate-status');
  const state = { models: [], piece: undefined, recorded: [], objectUrl: undefined };
  const playback = setUpPlayback(piano);

  const modelChosen = () => {
    const value = $('model').value;
    return state.models.find((model) => (value === 'latest' ? model.latest : model.runId === value));
  };
  const numberFields = setUpNumberFields((message) => (status.textContent = message));
  /** The model's controls and decoding defaults (its continuation ones when a primer is chosen) in the form. */
  const refreshModelFields = () => {
    showControls(modelChosen()?.controls ?? null);
    numberFields.showDefaults(modelChosen(), $('primer').value !== '');
  };
  $('model').addEventListener('change', refreshModelFields);
  $('primer').addEventListener('change', refreshModelFields);
  setUpPresets();

  const primerNotes = async (name) => {
    if (name === recordedPrimer) return { bytes: midiFileOf(state.recorded), notes: state.recorded };
    const response = await fetch(`/api/uploads/${encodeURIComponent(name)}`);
    if (!response.ok) throw await errorOf(response);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { bytes, notes: (await notesOf(bytes)).notes };
  };

  const request = async (form) => {
    const params = { model: form.model.value, ...numberFields.values(), ...controlParams() };
    if (!form.primer.value) return { response: await fetch(`/generate?${new URLSearchParams(params)}`), primer: [] };
    const primer = await primerNotes(form.primer.value);
    const body = { ...params, primer: base64Of(primer.bytes), followPrimer: form.followPrimer.checked };
    const response = await fetch('/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { response, primer: primer.notes };
  };

  $('generate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('generate').disabled = true;
    status.textContent = 'Generating…';
    playback.stop();
    try {
      const { response, primer } = await request(event.target);
      if (!response.ok) throw await errorOf(response);
      const midi = await response.blob();
      const piece = await notesOf(midi);
      const primerSeconds = primerEndInPiece(primer, piece.notes);
      state.piece = piece;
      playback.show(piece.notes, { totalSeconds: piece.totalSeconds, primerSeconds });
      if (state.objectUrl) URL.revokeObjectURL(state.objectUrl);
      state.objectUrl = URL.createObjectURL(midi);
      const seed = response.headers.get('x-rubato-seed');
      Object.assign($('download'), { href: state.objectUrl, download: `rubato-${seed ?? 'piece'}.mid` });
      $('download').classList.remove('disabled');
      $('download').setAttribute('aria-disabled', 'false');
      const taken = response.headers.get('x-rubato-from-primer');
      const followed = taken && taken !== 'none' ? ` Taken from the primer: ${taken.replaceAll(' ', ', ')}.` : '';
      status.textContent = `Generated ${piece.notes.length} notes, ${piece.totalSeconds.toFixed(1)} s${seed ? ` (seed ${seed})` : ''}.${followed}`;
    } catch (error) {
      status.textContent = `Could not generate: ${error.message}`;
    } finally {
      $('generate').disabled = false;
    }
  });

  return {
    currentPiece: () => state.piece,
    /** The model picker shows the panel's names; "latest" follows the pointer. */
    showModels(models) {
      state.models = models;
      const select = $('model');
      const chosen = select.value;
      const latest = models.find((model) => model.latest);
      select.replaceChildren(
        new Option(latest ? `latest (${modelName(latest)})` : 'latest', 'latest'),
        ...models.map((model) => new Option(modelName(model), model.runId)),
      );
      if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
      refreshModelFields();
    },
    showUploads(names) {
      const select = $('primer');
      const chosen = select.value;
      const recorded = state.recorded.length ? [new Option(`your recording (${state.recorded.length} notes)`, recordedPrimer)] : [];
      select.replaceChildren(new Option('none', ''), ...recorded, ...names.map((name) => new Option(name, name)));
      if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
      this.uploads = names;
      refreshModelFields();
    },
    /** A primer played on a MIDI keyboard: drawn in the roll as it grows, chosen as the primer when finished. */
    showRecording(notes, finished) {
      state.recorded = notes;
      const seconds = Math.max(1, ...notes.map((note) => note.endSeconds));
      playback.show(notes, { totalSeconds: seconds, primerSeconds: seconds });
      if (!finished) return;
      this.showUploads(this.uploads ?? []);
      $('primer').value = notes.length ? recordedPrimer : '';
      refreshModelFields();
      status.textContent = `Recorded ${notes.length} notes as the primer: Generate continues them.`;
    },
  };
}
