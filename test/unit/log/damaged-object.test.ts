import { describe, expect, it, vi } from 'vitest';
import { validOrWarn, warnDamaged } from '../../../src/log/damaged-object.js';

const spyLog = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('warnDamaged', () => {
  it('warns once per key and reason however often the object is read, naming both', () => {
    const log = spyLog();
    for (let poll = 0; poll < 5; poll++) warnDamaged(log, { key: 'rejected/uploads/a.mid.json', reason: 'not JSON' }, 'listing it as damaged');
    warnDamaged(log, { key: 'rejected/uploads/a.mid.json', reason: 'code: Required' }, 'listing it as damaged');

    expect(log.warn.mock.calls).toEqual([
      ['damaged object rejected/uploads/a.mid.json: listing it as damaged', { key: 'rejected/uploads/a.mid.json', reason: 'not JSON' }],
      ['damaged object rejected/uploads/a.mid.json: listing it as damaged', { key: 'rejected/uploads/a.mid.json', reason: 'code: Required' }],
    ]);
  });

  it('tells each log on its own: a second server in the process hears of the damage too', () => {
    const [first, second] = [spyLog(), spyLog()];
    warnDamaged(first, { key: 'k', reason: 'r' }, 'skipping it');
    warnDamaged(second, { key: 'k', reason: 'r' }, 'skipping it');

    expect([first.warn.mock.calls.length, second.warn.mock.calls.length]).toEqual([1, 1]);
  });
});

describe('validOrWarn', () => {
  it('gives the value of a valid read, undefined for an absent or damaged one, and warns only of the damage', () => {
    const log = spyLog();

    expect(validOrWarn({ status: 'valid', value: 3 }, log, 'skipping it')).toBe(3);
    expect(validOrWarn({ status: 'absent' }, log, 'skipping it')).toBeUndefined();
    expect(validOrWarn({ status: 'damaged', key: 'k', reason: 'r' }, log, 'skipping it')).toBeUndefined();
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});
