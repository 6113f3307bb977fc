import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../functions/environment.js';
import { preprocessSettings } from '../../../functions/preprocess/preprocess-settings.js';

describe('preprocessSettings', () => {
  it('defaults to performance tokens and a 5 MiB upload limit', () => {
    expect(preprocessSettings({})).toMatchObject({ tokenizer: { name: 'performance' }, maxBytes: 5 * 1024 * 1024 });
  });

  it('refuses TOKENIZER=notes-chords in one line saying what to do (issue 25, item 2: it died at start with a vocabulary error)', () => {
    const refusal = (() => {
      try {
        preprocessSettings({ TOKENIZER: 'notes-chords' });
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(ConfigurationError);
    expect((refusal as Error).message).toMatch(/^TOKENIZER=notes-chords is for batches only \(rubato preprocess --tokenizer notes-chords\).*leave TOKENIZER unset$/);
    expect((refusal as Error).message).not.toContain('\n');
  });
});
