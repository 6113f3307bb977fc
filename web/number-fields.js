// The generate form's number fields on the page: bounds from the server's OpenAPI description, the default the
// server would apply shown in each (the chosen model's own, its continuation ones when a primer is chosen).
import { $, jsonOf } from './api.js';
import { changedValues, decodingDefaults, limitsOf, numberFields } from './generate-fields.js';

/**
 * Loads the limits and returns `showDefaults(model, withPrimer)` (call it whenever the model or the primer changes) and
 * `values()`, the number parameters a request should send. A field the user has not changed follows the defaults; one
 * they changed keeps their value.
 *
 * @example
 * const fields = setUpNumberFields((message) => (status.textContent = message));
 * fields.showDefaults(model, primerChosen);
 * fetch(`/generate?${new URLSearchParams(fields.values())}`);
 */
export function setUpNumberFields(onError) {
  let limits = {};
  let shown = {};
  let chosen = { model: undefined, withPrimer: false };

  const showDefaults = (model, withPrimer) => {
    chosen = { model, withPrimer };
    const defaults = { seconds: limits.seconds?.default, ...decodingDefaults(limits, model?.sampling, withPrimer) };
    for (const [name, value] of Object.entries(defaults)) {
      const input = $(name);
      const untouched = input.value === '' || Number(input.value) === shown[name];
      if (untouched) input.value = value === undefined ? '' : String(value);
      input.title = value === undefined ? '' : `Default${withPrimer ? ' with a primer' : ''}: ${value}`;
    }
    shown = defaults;
  };

  fetch('/openapi.json')
    .then(jsonOf)
    .then((openapi) => {
      limits = limitsOf(openapi);
      for (const name of numberFields) {
        const { min, max } = limits[name] ?? {};
        Object.assign($(name), { min: min === undefined ? '' : String(min), max: max === undefined ? '' : String(max) });
      }
      showDefaults(chosen.model, chosen.withPrimer);
    })
    .catch((error) => onError(`Could not read the server's limits (${error.message}); the server checks what you send.`));

  return {
    showDefaults,
    values: () => changedValues(Object.fromEntries(numberFields.map((name) => [name, $(name).value])), shown),
  };
}
