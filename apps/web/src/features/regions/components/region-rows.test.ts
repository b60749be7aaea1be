import { describe, expect, it } from 'vitest';
import type { Region } from '@liudong/contracts';
import { buildRegionRows } from './region-rows';

const region = (code: string, parentCode: string | null, hasChildren: boolean): Region => ({
  code,
  name: code,
  level: parentCode === null ? 'province' : code.endsWith('00') ? 'city' : 'county',
  parentCode,
  hasChildren,
});

describe('buildRegionRows', () => {
  it('gives unloaded parents an empty child list and leaves leaves without one', () => {
    const rows = buildRegionRows(
      [region('510000', null, true), region('710000', null, false)],
      new Map(),
    );
    expect(rows[0]?.children).toEqual([]);
    expect(rows[1]?.children).toBeUndefined();
  });

  it('nests loaded levels', () => {
    const rows = buildRegionRows(
      [region('510000', null, true)],
      new Map([
        ['510000', [region('510100', '510000', true)]],
        ['510100', [region('510107', '510100', false)]],
      ]),
    );
    expect(rows[0]?.children?.[0]?.children?.[0]?.key).toBe('510107');
  });
});
