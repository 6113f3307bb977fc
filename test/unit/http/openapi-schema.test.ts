import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf, pathParameter, queryParameters } from '../../../src/http/openapi-schema.js';

const fromText = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? Number(value) : value), schema);

describe('jsonSchemaOf', () => {
  it('describes a preprocessed field by the schema its value must pass, default kept, optional on input', () => {
    const schema = z.strictObject({ topK: fromText(z.number().int().min(0).max(388)).default(0), seconds: fromText(z.number().min(1)) });

    const json = jsonSchemaOf(schema);

    expect(json).toEqual({
      type: 'object',
      properties: { topK: { type: 'integer', minimum: 0, maximum: 388, default: 0 }, seconds: { type: 'number', minimum: 1 } },
      required: ['seconds'],
      additionalProperties: false,
    });
  });

  it('leaves out the $schema dialect: OpenAPI 3.1 names it once for the document', () => {
    expect(jsonSchemaOf(z.string())).toEqual({ type: 'string' });
  });

  it('describes a refined string by its type instead of failing', () => {
    expect(jsonSchemaOf(z.string().refine((text) => text.endsWith('.mid')))).toEqual({ type: 'string' });
  });
});

describe('queryParameters', () => {
  it('gives one query parameter per field, required as the schema says, with the given descriptions', () => {
    const schema = z.object({ name: z.string().min(1), composer: z.string().optional() });

    const parameters = queryParameters(schema, { name: 'the file name' });

    expect(parameters).toEqual([
      { name: 'name', in: 'query', required: true, description: 'the file name', schema: { type: 'string', minLength: 1 } },
      { name: 'composer', in: 'query', required: false, schema: { type: 'string' } },
    ]);
  });
});

describe('pathParameter', () => {
  it('is required and carries the pattern', () => {
    expect(pathParameter('runId', z.string().regex(/^[a-z]+$/), 'a run')).toEqual({
      name: 'runId',
      in: 'path',
      required: true,
      description: 'a run',
      schema: { type: 'string', pattern: '^[a-z]+$' },
    });
  });
});
