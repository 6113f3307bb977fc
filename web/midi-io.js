// Web MIDI: send a piece to a MIDI output, and record a primer from a MIDI keyboard.
import { $ } from './api.js';
import { noteMessages, PrimerRecorder, silenceMessages } from './midi-messages.js';

/**
 * Asks for MIDI access and wires the MIDI panel; where the browser has no Web MIDI or the user refuses, the panel says
 * so and its buttons stay disabled. `onRecording(notes, finished)` receives the recorded primer as it grows.
 */
export async function setUpMidi({ currentPiece, onRecording }) {
  const status = $('midi-status');
  if (typeof navigator.requestMIDIAccess !== 'function') {
    status.textContent = 'This browser has no Web MIDI, so no keyboard or synthesizer can be connected (Chrome and Edge have it). The piano on this page still plays.';
    return;
  }
  let access;
  try {
    access = await navigator.requestMIDIAccess();
  } catch (error) {
    const reason = (error.message || error.name).replace(/\.$/, '');
    status.textContent = `No MIDI access (${reason}). Allow MIDI for this page in the browser's site settings and reload to use a keyboard or synthesizer.`;
    return;
  }
  $('midi-controls').hidden = false;
  const outputs = $('midi-output');
  const inputs = $('midi-input');
  const listPorts = () => {
    const fill = (select, ports) => select.replaceChildren(...[...ports.values()].map((port) => new Option(port.name || port.id, port.id)));
    fill(outputs, access.outputs);
    fill(inputs, access.inputs);
    $('midi-send').disabled = access.outputs.size === 0;
    $('midi-record').disabled = access.inputs.size === 0;
    status.textContent = access.outputs.size + access.inputs.size === 0
      ? 'MIDI is allowed, but no device is connected. Plug in a keyboard or synthesizer; it appears here.'
      : `${access.inputs.size} MIDI input${access.inputs.size === 1 ? '' : 's'}, ${access.outputs.size} output${access.outputs.size === 1 ? '' : 's'} connected.`;
  };
  access.addEventListener('statechange', listPorts);
  listPorts();

  $('midi-send').addEventListener('click', () => {
    const piece = currentPiece();
    const output = access.outputs.get(outputs.value);
    if (!piece || !output) return;
    for (const message of noteMessages(piece.notes, performance.now() + 100)) output.send(message.data, message.timestamp);
    status.textContent = `Sending ${piece.notes.length} notes to ${output.name}.`;
  });
  $('midi-silence').addEventListener('click', () => {
    const output = access.outputs.get(outputs.value);
    // clear() drops what is still scheduled; Chrome has it, others may not.
    output?.clear?.();
    for (const message of silenceMessages()) output?.send(message);
  });

  let recording;
  $('midi-record').addEventListener('click', () => {
    const input = access.inputs.get(inputs.value);
    if (recording) {
      recording.input.onmidimessage = null;
      onRecording(recording.recorder.notes(performance.now()), true);
      recording = undefined;
      $('midi-record').textContent = 'Record a primer';
      return;
    }
    if (!input) return;
    const recorder = new PrimerRecorder();
    input.onmidimessage = (event) => {
      recorder.receive(event.data, event.timeStamp);
      onRecording(recorder.notes(event.timeStamp), false);
    };
    recording = { input, recorder };
    $('midi-record').textContent = 'Stop recording';
    status.textContent = `Recording from ${input.name}: play, then press Stop recording. Generate continues what you played.`;
  });
}
