import type { ModelSummary } from '../../pipeline/list-models.js';

/**
 * One readable line about a published model, as `GET /models` describes it: run id, when, vocabulary and size, its
 * validation NLL (nats per event; "on training files" when the data was too small to hold files out), its controls.
 *
 * @example
 * modelLine(models[0]) // 'run-3f2a… (latest)  2026-12-05 14:03  performance 2×512  NLL 2.266 held out  styles: Bach, Beethoven, Chopin +9  40 files'
 */
export function modelLine(model: ModelSummary): string {
  const created = model.createdAt.slice(0, 16).replace('T', ' ');
  const nll = `NLL ${model.metrics.validationNll.toFixed(3)} ${model.metrics.validationHeldOut === false ? 'on training files' : 'held out'}`;
  const controls = model.controls ? `styles: ${shortList(model.controls.styles)}` : 'no controls';
  const data = model.data ? `  ${model.data.files} files` : '';
  return `${model.runId}${model.latest ? ' (latest)' : ''}  ${created}  ${model.tokenizer} ${model.shape.layers}×${model.shape.units}  ${nll}  ${controls}${data}`;
}

/** The first few names and how many more: a model may know dozens of composers, and the line should fit a screen. */
function shortList(names: readonly string[], shown = 3): string {
  if (names.length === 0) return 'any';
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} +${names.length - shown}`;
}
