import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../functions/environment.js';
import { trainerSettings } from '../../../functions/trainer/trainer-settings.js';
import { resolveHyperparameters } from '../../../src/model/hyperparameters.js';

describe('trainerSettings', () => {
  it('defaults to the stock recipe: performance tokens, auto engine, 30 minutes, default batch', () => {
    const settings = trainerSettings({});

    expect(settings).toMatchObject({ tokenizer: 'performance', engine: 'auto', minutes: 30, idleExitSeconds: 900, heartbeatSeconds: 60 });
    expect(settings.hyperparameters.batchSize).toBe(resolveHyperparameters().batchSize);
  });

  it('takes the batch size the stack sets for a larger task', () => {
    expect(trainerSettings({ BATCH_SIZE: '256', TRAIN_MINUTES: '5' })).toMatchObject({ minutes: 5, hyperparameters: { batchSize: 256 } });
  });

  it.each([
    [{ BATCH_SIZE: '12.5' }, /BATCH_SIZE/],
    [{ BATCH_SIZE: '-4' }, /BATCH_SIZE/],
    [{ ENGINE: 'gpu' }, /ENGINE must be one of/],
    [{ TOKENIZER: 'abc' }, /TOKENIZER/],
  ])('refuses %o, naming the variable', (environment, message) => {
    expect(() => trainerSettings(environment)).toThrow(ConfigurationError);
    expect(() => trainerSettings(environment)).toThrow(message);
  });
});
