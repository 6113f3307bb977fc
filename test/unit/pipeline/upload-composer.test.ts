import { describe, expect, it } from 'vitest';
import { uploadComposer } from '../../../src/pipeline/upload-composer.js';

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
