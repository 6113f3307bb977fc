// Web MIDI: send a piece to a MIDI output, record a primer from a MIDI keyboard, and hand the keyboard to the duet.
import { $ } from './api.js';
import { noteMessages, PrimerRecorder, silenceMessages } from './midi-messages.js';

/**
 * Asks for MIDI access and wires the MIDI panel; where the browser has no Web MIDI or the user refuses, the panel says
 * so, its buttons stay disabled and this resolves to undefined. `onRecording(notes, finished)` receives the recorded
 * primer as it grows; `onInput(data, timeMs)` every message of the chosen input. Resolves to `{ chosenOutput() }`.
 */
export async function setUpMidi({ currentPiece, onRecording, onInput }) {
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

  // One listener on the chosen input feeds both the recorder (while recording) and the duet.
  let recording;
  let listened;
  const listen = () => {
    if (listened) listened.onmidimessage = null;
    listened = access.inputs.get(inputs.value);
    if (!listened) return;
    listened.onmidimessage = (event) => {
      if (recording) {
        recording.receive(event.data, event.timeStamp);
        onRecording(recording.notes(event.timeStamp), false);
      }
      onInput(event.data, event.timeStamp);
    };
  };
  inputs.addEventListener('change', listen);
  access.addEventListener('statechange', listen);
  listen();

  $('midi-record').addEventListener('click', () => {
    if (recording) {
      onRecording(recording.notes(performance.now()), true);
      recording = undefined;
      $('midi-record').setAttribute('aria-pressed', 'false');
      return;
    }
    if (!listened) return;
    recording = new PrimerRecorder();
    $('midi-record').setAttribute('aria-pressed', 'true');
    status.textContent = `Recording from ${listened.name}: play, then press Record a primer again to stop. Generate continues what you played.`;
  });
  return { chosenOutput: () => access.outputs.get(outputs.value) };
}
