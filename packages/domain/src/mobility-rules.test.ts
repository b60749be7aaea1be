import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths } from './calendar';
import {
  mobilityRangeOf,
  shouldTransferAffiliation,
  temporaryBranchSuggestions,
  type OutflowForRules,
} from './mobility-rules';

const at = (day: string) => new Date(`${day}T04:00:00Z`); // noon in China

describe('addMonths', () => {
  it.each([
    ['2026-01-15', 6, '2026-07-15'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2026-03-31', -1, '2026-02-28'],
  ] as const)('%s + %i → %s', (from, n, expected) => {
    expect(addMonths(from, n)).toBe(expected);
  });

  it('never lands on a day that does not exist and never goes back in time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 120 }),
        (d, n) => {
          const from = d.toISOString().slice(0, 10);
          const to = addMonths(from, n);
          expect(new Date(`${to}T00:00:00Z`).toISOString().slice(0, 10)).toBe(to);
          expect(to >= from).toBe(true);
        },
      ),
    );
  });
});

describe('shouldTransferAffiliation (away ≥ 6 months at a fixed place)', () => {
  const base: OutflowForRules = {
    status: 'serving',
    direction: 'outflow',
    leftOn: '2026-05-21',
    checkedInOn: null,
  };
  it.each([
    ['exactly 6 months, serving', base, '2026-11-21', true],
    ['one day short', base, '2026-11-20', false],
    [
      'month end: left Aug 31, flagged on Feb 28',
      { ...base, leftOn: '2025-08-31' },
      '2026-02-28',
      true,
    ],
    [
      'leap year: left Aug 31 2023, flagged on Feb 29 2024',
      { ...base, leftOn: '2023-08-31' },
      '2024-02-29',
      true,
    ],
    [
      'no fixed place yet (only registered)',
      { ...base, status: 'registered' },
      '2027-01-01',
      false,
    ],
    [
      'registered but checked in at a host org',
      { ...base, status: 'registered', checkedInOn: '2026-06-01' },
      '2026-11-21',
      true,
    ],
    ['already returned', { ...base, status: 'returned' }, '2027-01-01', false],
    ['inflow is not ours to transfer', { ...base, direction: 'inflow' }, '2027-01-01', false],
  ] as const)('%s', (_name, e, asOf, expected) => {
    expect(shouldTransferAffiliation(e, { asOf: at(asOf) })).toBe(expected);
  });

  it('uses the calendar day in China, not UTC', () => {
    // 2026-11-20T17:00Z is already 11-21 in Beijing.
    expect(shouldTransferAffiliation(base, { asOf: new Date('2026-11-20T17:00:00Z') })).toBe(true);
  });
});

describe('temporaryBranchSuggestions (3+ members of one org at one destination)', () => {
  const e = (
    memberId: string,
    homeOrgId: string,
    destinationRegionCode: string | null,
    open = true,
  ) => ({ memberId, homeOrgId, destinationRegionCode, open });
  it('groups by home org and destination city, counting members once and only open episodes', () => {
    const got = temporaryBranchSuggestions([
      e('m1', 'A', '510104'),
      e('m2', 'A', '510107'), // another district of 成都: same city
      e('m3', 'A', '510100'),
      e('m3', 'A', '510104'), // the same member twice counts once
      e('m4', 'A', '440305'),
      e('m5', 'B', '510104'),
      e('m6', 'B', '510104'),
      e('m7', 'B', '510104', false),
      e('m8', 'C', null),
      e('m9', 'D', '500103'),
      e('m10', 'D', '500112'),
      e('m11', 'D', '500233'), // 重庆's counties sit under 500200, not 500100
    ]);
    expect(got).toEqual([
      { homeOrgId: 'A', destinationCityCode: '510100', memberIds: ['m1', 'm2', 'm3'] },
    ]);
  });
});

describe('mobilityRangeOf', () => {
  it.each([
    ['510104', '440305', 'cross_province'],
    ['510104', '510703', 'within_province'],
    ['510104', '510107', 'within_city'],
    ['510104', '510104', null],
    // Municipalities: districts share the "市辖区" city code, so they are within the city.
    ['110105', '110108', 'within_city'],
    ['110105', '120101', 'cross_province'],
    // Coarser codes compare at the level they give.
    ['510104', '510000', null],
    ['510104', '440000', 'cross_province'],
    ['510100', '510700', 'within_province'],
    ['510100', '510104', null],
    [null, '510104', null],
    ['510104', null, null],
    ['510104', '999999', null],
  ] as const)('%s → %s: %s', (home, destination, expected) => {
    expect(mobilityRangeOf(home, destination)).toBe(expected);
  });
});
