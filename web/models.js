// Section 3: every published model, how good it is, which one is latest, and promotion.
import { $, errorOf, jsonOf } from './api.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The one name a model goes by, in the panel and in the generate form's picker. */
export function modelName(model) {
  return model.runId;
}

function dataOf(data) {
  return data ? `${data.files} files, ${data.events.toLocaleString()} events` : '—';
}

/** The model card's musicality figure (`rubato eval --music`): mean feature overlap with held-out playing. */
function musicalityOf(metrics) {
  return metrics.musicality ? metrics.musicality.overlap.toFixed(2) : '—';
}

function standingOf(model) {
  if (model.latest) return 'latest: generate uses it by default';
  if (model.promotion && !model.promotion.promoted) return model.promotion.reason;
  if (model.promotion?.promoted) return 'was latest; a newer model replaced it';
  return 'published';
}

function cell(text, className, label) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  // Narrow screens show each model as a card; the label stands in for the column heading.
  if (label) td.dataset.label = label;
  return td;
}

function rowOf(model, promote) {
  const row = document.createElement('tr');
  row.dataset.runId = model.runId;
  const name = cell(modelName(model));
  if (model.latest) name.append(' ', Object.assign(document.createElement('span'), { className: 'badge', textContent: 'latest' }));
  const origin = model.startedFrom ? `fine-tuned from ${model.startedFrom}` : 'from scratch';
  name.append(Object.assign(document.createElement('small'), { textContent: origin }));
  const action = document.createElement('td');
  if (!model.latest) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Promote';
    button.setAttribute('aria-label', `Promote ${modelName(model)} to latest`);
    button.addEventListener('click', () => promote(model, button));
    action.append(button);
  }
  row.append(
    name,
    cell(dateFormat.format(new Date(model.createdAt)), '', 'Date'),
    cell(dataOf(model.data), '', 'Data'),
    cell(`${model.shape.layers} × ${model.shape.units} LSTM`, '', 'Shape'),
    cell(model.metrics.validationNll.toFixed(3), 'number', 'Validation NLL'),
    cell(musicalityOf(model.metrics), 'number', 'Musicality'),
    cell(standingOf(model), 'standing', 'Standing'),
    action,
  );
  return row;
}

/**
 * Renders the models panel and hands every model list to `onModels` (the generate form's picker).
 * Resolves to a function that reloads both.
 */
export function setUpModels(onModels) {
  const status = $('models-status');
  const refresh = async () => {
    try {
      const { models } = await jsonOf(await fetch('/models'));
      $('models-body').replaceChildren(...models.map((model) => rowOf(model, promote)));
      status.textContent = models.length === 0 ? 'No model published yet: train one, or restart the server to get the default model.' : '';
      onModels(models);
      return models;
    } catch (error) {
      status.textContent = `Could not list models: ${error.message}`;
      return [];
    }
  };
  const promote = async (model, button) => {
    button.disabled = true;
    status.textContent = `Promoting ${modelName(model)}…`;
    const response = await fetch(`/models/${encodeURIComponent(model.runId)}/promote`, { method: 'POST' }).catch((error) => error);
    if (response instanceof Error || !response.ok) {
      status.textContent = `Could not promote ${modelName(model)}: ${response instanceof Error ? response.message : (await errorOf(response)).message}`;
      button.disabled = false;
      return;
    }
    await refresh();
    status.textContent = `${modelName(model)} is now the latest model.`;
  };
  return refresh;
}
