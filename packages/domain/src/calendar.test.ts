import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ageOn,
  chinaDateOf,
  daysInMonth,
  formatIsoDate,
  fromDayNumber,
  isIsoDate,
  isLeapYear,
  parseIsoDate,
  subtractYears,
  toDayNumber,
  weekStartOf,
} from './calendar';

describe('calendar', () => {
  it.each([
    [1900, false],
    [2000, true],
    [2004, true],
    [2023, false],
    [2100, false],
    [2400, true],
  ])('isLeapYear(%i) = %s', (year, expected) => {
    expect(isLeapYear(year)).toBe(expected);
  });

  it('knows month lengths', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2023-04-31', false],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-1-01', false],
    ['20230101', false],
    ['2023-01-01T00:00', false],
  ])('isIsoDate(%j) = %s', (s, expected) => {
    expect(isIsoDate(s)).toBe(expected);
  });

  it('takes the calendar day in China (UTC+8)', () => {
    expect(chinaDateOf(new Date('2024-12-31T15:59:59.999Z'))).toBe('2024-12-31');
    expect(chinaDateOf(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(() => chinaDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('subtracts years, turning 29 February into 28 February', () => {
    expect(subtractYears({ year: 2024, month: 2, day: 29 }, 1)).toEqual({
      year: 2023,
      month: 2,
      day: 28,
    });
    expect(subtractYears({ year: 2024, month: 2, day: 29 }, 4)).toEqual({
      year: 2020,
      month: 2,
      day: 29,
    });
    expect(subtractYears({ year: 2024, month: 3, day: 1 }, 18)).toEqual({
      year: 2006,
      month: 3,
      day: 1,
    });
  });

  it.each([
    ['1990-06-15', '2025-06-14', 34],
    ['1990-06-15', '2025-06-15', 35], // the birthday itself counts
    ['2004-02-29', '2022-02-28', 17],
    ['2004-02-29', '2022-03-01', 18], // leap-day birthday moves to 1 March
    ['2004-02-29', '2024-02-29', 20],
    ['2025-06-01', '2025-06-01', 0],
  ])('ageOn(%s, %s) = %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('ageOn takes an instant as a day in China', () => {
    expect(ageOn('1990-06-15', new Date('2025-06-14T15:59:59Z'))).toBe(34);
    expect(ageOn('1990-06-15', new Date('2025-06-14T16:00:00Z'))).toBe(35);
    expect(() => ageOn('1990-02-30', '2025-01-01')).toThrow(RangeError);
  });

  it('day numbers round-trip through dates', () => {
    expect(toDayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(
      toDayNumber({ year: 1900, month: 3, day: 1 }) -
        toDayNumber({ year: 1900, month: 2, day: 28 }),
    ).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 50_000 }), (n) => {
        const parts = fromDayNumber(n);
        expect(toDayNumber(parts)).toBe(n);
        expect(parseIsoDate(formatIsoDate(parts))).toEqual(parts);
      }),
    );
  });

  it('age grows by exactly one each birthday', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -25_000, max: 20_000 }),
        fc.integer({ min: 0, max: 100 }),
        (n, years) => {
          const birth = fromDayNumber(n);
          const on = { ...subtractYears(birth, -years) };
          const onDay = toDayNumber(on);
          // on the (possibly shifted) anniversary the age is `years` or, for 29 Feb moved to 28 Feb, one less
          const age = ageOn(formatIsoDate(birth), formatIsoDate(on));
          expect([years, years - 1]).toContain(age);
          expect(ageOn(formatIsoDate(birth), formatIsoDate(fromDayNumber(onDay + 1)))).toBe(years);
        },
      ),
    );
  });
});

describe('weekStartOf', () => {
  it.each([
    ['2026-11-16', '2026-11-16'], // Monday
    ['2026-11-20', '2026-11-16'],
    ['2026-11-22', '2026-11-16'], // Sunday belongs to the week before
    ['2026-11-23', '2026-11-23'],
    ['2024-03-01', '2024-02-26'], // across a leap-year February
    ['2027-01-01', '2026-12-28'], // across a year end
  ])('%s → %s', (date, monday) => {
    expect(weekStartOf(date)).toBe(monday);
  });
});
