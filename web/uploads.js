// Section 1: upload MIDI files and list what became of each.
import { $, jsonOf } from './api.js';

/** A rejection reason once: the message often already starts with its code ("truncated: …"). */
export function reasonOf(code, message) {
  const text = message ?? '';
  return text.toLowerCase().startsWith(`${code}:`.toLowerCase()) ? text.slice(code.length + 1).trim() : text;
}

function describe(file) {
  switch (file.status) {
    case 'accepted': return `${file.notes} notes, ${file.seconds.toFixed(1)} s of music`;
    case 'duplicate': return `same content as ${file.duplicateOf}`;
    case 'rejected': return reasonOf(file.code, file.message);
    case 'damaged': return file.message;
    default: return 'not processed yet';
  }
}

/** "3 files: 2 accepted, 1 rejected." — the table below holds the details. */
export function summaryOf(outcomes) {
  const counts = new Map();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, count]) => `${count} ${outcome}`);
  return `${outcomes.length} file${outcomes.length === 1 ? '' : 's'}: ${parts.join(', ')}. Details in the table.`;
}

/** Lists the uploads; `onAccepted` gets the names usable as a primer. */
export async function refreshFiles(onAccepted) {
  const { files } = await jsonOf(await fetch('/api/files'));
  $('files-body').replaceChildren(...files.map((file) => {
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
  onAccepted(files.filter((file) => file.status === 'accepted').map((file) => file.name));
}

async function uploadOne(file) {
  try {
    const response = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, headers: { 'content-type': 'audio/midi' } });
    const body = await response.json().catch(() => ({}));
    return body.status ?? 'failed';
  } catch {
    return 'failed';
  }
}

export function setUpUploads(onAccepted) {
  const dropZone = $('drop-zone');
  const fileInput = $('file-input');
  const status = $('upload-status');
  const upload = async (files) => {
    const outcomes = [];
    for (const [index, file] of [...files].entries()) {
      status.textContent = `Uploading ${file.name} (${index + 1} of ${files.length})…`;
      outcomes.push(await uploadOne(file));
    }
    status.textContent = summaryOf(outcomes);
    await refreshFiles(onAccepted);
  };
  dropZone.addEventListener('click', () => fileInput.click());
  dropZone.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    fileInput.click();
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
  refreshFiles(onAccepted).catch((error) => (status.textContent = `Could not list files: ${error.message}`));
}
