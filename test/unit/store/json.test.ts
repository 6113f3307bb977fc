import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getJson, putJson } from '../../../src/store/json.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const recordSchema = z.object({ schemaVersion: z.literal(1), runs: z.array(z.object({ runId: z.string() })) });

describe('getJson', () => {
  it.each([
    ['absent', undefined, { status: 'absent' }],
    ['valid', '{"schemaVersion":1,"runs":[{"runId":"a"}]}', { status: 'valid', value: { schemaVersion: 1, runs: [{ runId: 'a' }] } }],
    ['cut short', '{"schemaVersion":1,"ru', { status: 'damaged', key: 'record.json', reason: expect.stringMatching(/^not JSON \(.+\)$/) }],
    ['of the wrong shape', '{"schemaVersion":1,"runs":[{"runId":7}]}', { status: 'damaged', key: 'record.json', reason: expect.stringMatching(/^runs\.0\.runId: .*string/) }],
    ['of another version', '{"schemaVersion":2,"runs":[]}', { status: 'damaged', key: 'record.json', reason: expect.stringMatching(/^schemaVersion: /) }],
  ])('reads an object that is %s as that outcome, never throwing for its content', async (_case, text, outcome) => {
    const store = temporaryStore();
    if (text !== undefined) await store.put('record.json', new TextEncoder().encode(text));

    expect(await getJson(store, 'record.json', recordSchema)).toEqual(outcome);
  });

  it('reads back what putJson wrote', async () => {
    const store = temporaryStore();
    await putJson(store, 'record.json', { schemaVersion: 1, runs: [] });

    expect(await getJson(store, 'record.json', recordSchema)).toEqual({ status: 'valid', value: { schemaVersion: 1, runs: [] } });
  });
});
