import { afterEach, describe, expect, it } from 'vitest';
import { onStopSignal, type StopSignal } from '../../../src/cli/stop-on-signals.js';

describe('onStopSignal', () => {
  let remove = () => {};
  afterEach(() => remove());

  it('stops once, on the first SIGINT or SIGTERM; later signals of either kind are ignored while it winds down', () => {
    const seen: StopSignal[] = [];
    remove = onStopSignal((signal) => seen.push(signal));

    process.emit('SIGTERM');
    process.emit('SIGINT');
    process.emit('SIGTERM');

    expect(seen).toEqual(['SIGTERM']);
  });

  it('leaves no handler behind once removed', () => {
    const before = process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
    onStopSignal(() => {})();

    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(before);
  });
});
