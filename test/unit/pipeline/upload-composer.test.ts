import { describe, expect, it } from 'vitest';
import { givenComposerSchema, uploadComposer } from '../../../src/pipeline/upload-composer.js';

describe('uploadComposer', () => {
  it.each([
    [' Chopin ', 'Chopin'],
    ['Rachmaninoff', 'Rachmaninoff'],
    ['C. P. E. Bach', 'C. P. E. Bach'],
    ['Dvořák', 'Dvořák'],
  ])('keeps %j as %j', (given, kept) => {
    expect(uploadComposer(given)).toBe(kept);
  });

  it.each([[undefined], [''], ['any'], ['ANY'], ['x'.repeat(65)], ['<script>'], ['Bach\nrm -rf'], ['1999']])('reads %j as no composer', (given) => {
    expect(uploadComposer(given)).toBeUndefined();
  });
});

describe('givenComposerSchema: what a user may type as the composer (local upload query, rubato upload --composer)', () => {
  it.each([['Chopin'], [' C. P. E. Bach '], ['any'], [' Any ']])('accepts %j', (given) => {
    expect(givenComposerSchema.safeParse(given).success).toBe(true);
  });

  it.each([[''], ['1999'], ['<script>'], ['x'.repeat(65)]])('refuses %j, naming what it wants', (given) => {
    const parsed = givenComposerSchema.safeParse(given);

    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe(`a composer name (letters, spaces, . ' -; at most 64) or "any"`);
  });
});
