// The steering controls of the generate form (density, key, dynamics, style) and their presets.
import { $ } from './api.js';

/** Presets a pianist recognises; a value the chosen model does not know is left free. */
const presets = {
  free: {},
  nocturne: { density: 5, key: 'Db', dynamics: 'p', style: 'Chopin' },
  etude: { density: 16, key: 'C', dynamics: 'f', style: 'any' },
  chorale: { density: 4, key: 'G', dynamics: 'mp', style: 'Bach' },
  virtuoso: { density: 28, key: 'Am', dynamics: 'ff', style: 'Liszt' },
};

const noControlsTooltip = 'This model was trained without steering controls; train or choose a model that has them.';

function fillSelect(select, values) {
  const chosen = select.value;
  select.replaceChildren(new Option('free', ''), ...values.map((value) => new Option(value, value)));
  if (values.includes(chosen)) select.value = chosen;
}

/** Shows the controls of `controls` (null: the model has none, so they are disabled with the reason as tooltip). */
export function showControls(controls) {
  const fieldset = $('controls');
  fieldset.disabled = !controls;
  fieldset.title = controls ? '' : noControlsTooltip;
  $('controls-note').textContent = controls ? '' : noControlsTooltip;
  if (!controls) return;
  const density = $('density');
  density.min = String(controls.density.min);
  density.max = String(controls.density.max);
  density.placeholder = `free (${controls.density.min}–${controls.density.max})`;
  fillSelect($('key'), controls.keys);
  fillSelect($('dynamics'), controls.dynamics);
  fillSelect($('style'), controls.styles);
}

/** The chosen controls as generate parameters; nothing when the fieldset is disabled. */
export function controlParams() {
  if ($('controls').disabled) return {};
  const params = {};
  if ($('density').value !== '') params.density = Number($('density').value);
  for (const name of ['key', 'dynamics', 'style']) if ($(name).value !== '') params[name] = $(name).value;
  return params;
}

export function setUpPresets() {
  $('preset').addEventListener('change', () => {
    const preset = presets[$('preset').value] ?? {};
    $('density').value = preset.density === undefined ? '' : String(preset.density);
    for (const name of ['key', 'dynamics', 'style']) {
      const select = $(name);
      select.value = [...select.options].some((option) => option.value === preset[name]) ? preset[name] : '';
    }
  });
}
