import { describe, expect, it } from 'vitest';
import { regionCodePath } from './regions-api';

describe('regionCodePath', () => {
  it.each([
    ['510107', ['510000', '510100', '510107']],
    ['510100', ['510000', '510100']],
    ['510000', ['510000']],
    ['441900', ['440000', '441900']],
    ['429004', ['420000', '429000', '429004']],
    ['', []],
    [null, []],
    ['12345', []],
  ])('%s → %o', (code, expected) => {
    expect(regionCodePath(code)).toEqual(expected);
  });
});
