// The generate form's number fields as the server describes them: limits and rubato's defaults from GET /openapi.json,
// each model's own decoding defaults from GET /models. A field still showing its default is left out of a request, so
// the server applies the model's default itself; only a value the user changed is sent.

/** The form's number fields, each a GET /generate parameter of the same name. */
export const numberFields = ['seconds', 'temperature', 'topK', 'topP', 'seed'];
/** The fields a model may have its own default for (`sampling` in GET /models). */
export const decodingFields = ['temperature', 'topK', 'topP'];

/**
 * Bounds and default of each of GET /generate's number parameters, from the server's OpenAPI description. An
 * exclusive minimum (top-p > 0) is given as `min` with `exclusive`: a form field cannot say "greater than".
 *
 * @example
 * limitsOf(await (await fetch('/openapi.json')).json()).topK; // { min: 0, max: 388, default: 0, integer: true }
 */
export function limitsOf(openapi) {
  const parameters = openapi.paths['/generate'].get.parameters;
  return Object.fromEntries(
    parameters
      .filter(({ name }) => numberFields.includes(name))
      .map(({ name, schema }) => [name, {
        min: schema.minimum ?? schema.exclusiveMinimum,
        exclusive: schema.minimum === undefined && schema.exclusiveMinimum !== undefined,
        max: schema.maximum,
        default: schema.default,
        integer: schema.type === 'integer',
      }]),
  );
}

/**
 * The default the server applies to each decoding field a request leaves out: rubato's (`limits`), then the model's
 * `sampling`, then for a continuation its `withPrimer` ones. `sampling` null or absent: the model has none of its own.
 *
 * @example
 * decodingDefaults(limits, { topP: 0.9, withPrimer: { topP: 0.99 } }, true); // { temperature: 1, topK: 0, topP: 0.99 }
 */
export function decodingDefaults(limits, sampling, withPrimer) {
  const { withPrimer: forPrimer, ...forFree } = sampling ?? {};
  const layers = [forFree, withPrimer ? (forPrimer ?? {}) : {}];
  return Object.fromEntries(decodingFields.map((name) => [name, layers.reduce((value, layer) => layer[name] ?? value, limits[name]?.default)]));
}

/**
 * What a request sends for the number fields: a field that is empty, or that still shows the default the server would
 * apply anyway, is left out (the model's own default then holds even if this page's copy of it is stale).
 *
 * @example
 * changedValues({ temperature: '0.8', topK: '0', seed: '' }, { temperature: 1, topK: 0 }); // { temperature: 0.8 }
 */
export function changedValues(values, defaults) {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([name, value]) => value !== '' && Number(value) !== defaults[name])
      .map(([name, value]) => [name, Number(value)]),
  );
}
