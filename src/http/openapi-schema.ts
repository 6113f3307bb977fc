import { z } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as `z.toJSONSchema` writes it. */
export type JsonSchema = { [keyword: string]: unknown };

/** An OpenAPI 3.1 parameter object. */
export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/**
 * The JSON Schema of what a request may send for `schema`: its input side (`io: 'input'`), so a `z.preprocess` field
 * is described by the schema its value must pass (a query's `"5"` is the number 5 of an OpenAPI `type: number`
 * parameter, `"true"` its boolean), and a field with a default is optional. zod leaves a preprocessed field's default
 * (and a `meta({ default })`) out of the input side; it is put back, since a client that leaves the field out gets it.
 *
 * @example
 * jsonSchemaOf(z.object({ topK: z.number().int().default(0) })); // { type: 'object', properties: { topK: { type: 'integer', default: 0 } }, … }
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    // A refine (a key's spelling, a composer's name) has no JSON Schema: the field's type and description stand for it.
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const definition = zodSchema._zod.def;
      if (definition.type === 'default' && jsonSchema.default === undefined) jsonSchema.default = (definition as z.core.$ZodDefaultDef).defaultValue;
      // An optional field the server fills itself (a model's own decoding) names its last resort as `meta({ default })`.
      const named = z.globalRegistry.get(zodSchema)?.default;
      if (named !== undefined && jsonSchema.default === undefined) jsonSchema.default = named;
    },
  });
  return json;
}

/**
 * The query parameters of an object schema, one per field, `required` as the schema says and described by
 * `descriptions` (the wording the schema's error messages use).
 *
 * @example
 * queryParameters(uploadQuery); // [{ name: 'name', in: 'query', required: true, schema: { type: 'string', … } }, …]
 */
export function queryParameters(schema: z.ZodObject, descriptions: Readonly<Record<string, string>> = {}): OpenApiParameter[] {
  const json = jsonSchemaOf(schema) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(descriptions[name] !== undefined ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

/**
 * A path parameter (`{runId}`), checked by `schema`.
 *
 * @example
 * pathParameter('runId', z.string().regex(runIdPattern), 'a published run id (GET /models lists them)');
 */
export function pathParameter(name: string, schema: z.ZodType, description: string): OpenApiParameter {
  return { name, in: 'path', required: true, description, schema: jsonSchemaOf(schema) };
}
