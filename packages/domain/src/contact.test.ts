import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONTACT_INTERVAL_MONTHS,
  DEFAULT_WARNING_MONTHS,
  contactDueOn,
  defaultContactCategory,
  effectiveIntervalMonths,
  isAbroadRegion,
  isDueForRate,
  isValidIntervalMonths,
  isValidWarningMonths,
  lostContactStatus,
  overdueDays,
  queueBucket,
  suggestLostContactReason,
  wholeMonthsBetween,
  type LostContactInput,
} from './contact';

// Keeping in touch (DOMAIN.md §4; issue 4 §8): the schedule and lost-contact rules as tables over
// dates. Month ends clamp (01-31 + 1 month = 02-28 / 02-29), which the server's SQL
// (`date + interval 'n months'`) does the same way; contacts.test.ts holds the SQL to these rows.

describe('contactDueOn (定时)', () => {
  it.each([
    // startOn, lastReachedOn, interval, due
    ['2026-01-15', null, 1, '2026-02-15'],
    ['2026-01-31', null, 1, '2026-02-28'],
    ['2024-01-31', null, 1, '2024-02-29'], // leap year
    ['2024-02-29', null, 1, '2024-03-29'],
    ['2024-02-29', null, 12, '2025-02-28'],
    ['2026-08-31', null, 6, '2027-02-28'],
    ['2023-08-31', null, 6, '2024-02-29'],
    ['2026-03-31', null, 3, '2026-06-30'],
    ['2026-12-31', null, 2, '2027-02-28'],
    // A reached contact after leaving resets the schedule.
    ['2026-01-10', '2026-05-31', 1, '2026-06-30'],
    ['2026-01-10', '2026-10-31', 1, '2026-11-30'],
    ['2025-10-01', '2026-01-31', 1, '2026-02-28'],
    // A contact before the episode began (an earlier stay away) does not count.
    ['2026-06-01', '2026-03-01', 1, '2026-07-01'],
    // On the day of leaving: the same as none.
    ['2026-06-01', '2026-06-01', 1, '2026-07-01'],
    ['2026-01-20', '2026-04-05', 6, '2026-10-05'],
  ] as const)('left %s, last reached %s, every %i month(s) → due %s', (s, r, n, due) => {
    expect(contactDueOn({ startOn: s, lastReachedOn: r, intervalMonths: n })).toBe(due);
  });
});

describe('queueBucket and overdueDays', () => {
  it.each([
    // due, today, bucket, overdue days
    ['2026-11-19', '2026-11-20', 'overdue', 1],
    ['2026-10-20', '2026-11-20', 'overdue', 31],
    ['2026-11-20', '2026-11-20', 'week', 0],
    ['2026-11-26', '2026-11-20', 'week', 0], // today + 6: still this week
    ['2026-11-27', '2026-11-20', 'later', 0], // today + 7: next week
    ['2026-12-31', '2026-12-28', 'week', 0],
    ['2027-01-03', '2026-12-28', 'week', 0], // across the year end
    ['2027-01-04', '2026-12-28', 'later', 0],
    ['2024-02-28', '2024-03-01', 'overdue', 2], // leap year: Feb 29 in between
    ['2023-02-28', '2023-03-01', 'overdue', 1],
    ['2024-03-06', '2024-02-29', 'week', 0],
    ['2024-03-07', '2024-02-29', 'later', 0],
    ['2025-11-20', '2026-11-20', 'overdue', 365],
  ] as const)('due %s, today %s → %s, %i days overdue', (due, today, bucket, days) => {
    expect(queueBucket(due, today)).toBe(bucket);
    expect(overdueDays(due, today)).toBe(days);
  });

  it('refuses a non-date', () => {
    expect(() => overdueDays('2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
});

describe('effectiveIntervalMonths', () => {
  it.each([
    // category, own, org rules nearest first, result
    ['domestic', null, [], 1],
    ['abroad', null, [], 6],
    ['abroad', undefined, undefined, 6],
    ['domestic', null, [3], 3],
    ['domestic', null, [null, 2], 2], // the nearest org has no rule: its parent's applies
    ['domestic', null, [undefined, null, 3], 3],
    ['domestic', 2, [3], 2], // the member's own interval wins
    ['abroad', 4, [], 4],
    ['abroad', null, [2, 6], 2],
  ] as const)('%s, own %s, rules %j → %i', (category, own, rules, expected) => {
    expect(
      effectiveIntervalMonths({
        category,
        memberOverride: own,
        orgRules: rules as readonly (number | null | undefined)[] | undefined,
      }),
    ).toBe(expected);
  });

  it('knows the defaults and the limits (条例 Art. 34: abroad at least every 6 months)', () => {
    expect(DEFAULT_CONTACT_INTERVAL_MONTHS).toEqual({ domestic: 1, abroad: 6 });
    expect([0, 1, 6, 7, 1.5, -1].map(isValidIntervalMonths)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('category from the destination', () => {
  it.each([
    ['710000', true],
    ['810000', true],
    ['820100', true],
    ['440305', false],
    ['110101', false],
    ['', false],
    [null, false],
  ] as const)('%s abroad: %s', (code, abroad) => {
    expect(isAbroadRegion(code)).toBe(abroad);
    expect(defaultContactCategory(code)).toBe(abroad ? 'abroad' : 'domestic');
  });
});

describe('isDueForRate (按时联系率 denominator)', () => {
  it.each([
    ['2026-11-01', 1, '2026-11-20', false], // left this month: not due yet
    ['2026-10-20', 1, '2026-11-20', true], // exactly one interval
    ['2026-10-21', 1, '2026-11-20', false],
    ['2026-01-31', 1, '2026-02-28', true], // month end clamps
    ['2026-01-31', 1, '2026-02-27', false],
    ['2024-01-31', 1, '2024-02-28', false], // leap year: due on Feb 29
    ['2024-01-31', 1, '2024-02-29', true],
    ['2026-06-01', 6, '2026-11-30', false],
    ['2026-05-31', 6, '2026-11-30', true],
  ] as const)('left %s, every %i → due on %s: %s', (startOn, n, today, due) => {
    expect(isDueForRate({ startOn, intervalMonths: n }, today)).toBe(due);
  });
});

describe('wholeMonthsBetween', () => {
  it.each([
    ['2026-01-15', '2026-01-15', 0],
    ['2026-01-15', '2026-02-14', 0],
    ['2026-01-15', '2026-02-15', 1],
    ['2026-01-31', '2026-02-28', 1], // clamped month end counts as a whole month
    ['2026-01-31', '2026-02-27', 0],
    ['2024-01-31', '2024-02-28', 0], // leap year: Feb 29 is the month's end
    ['2024-01-31', '2024-02-29', 1],
    ['2024-02-29', '2025-02-28', 12],
    ['2024-02-29', '2025-02-27', 11],
    ['2026-08-31', '2027-02-28', 6],
    ['2026-05-31', '2026-11-30', 6],
    ['2026-05-31', '2026-11-29', 5],
    ['2026-03-20', '2026-01-01', 0], // backwards
    ['2025-12-15', '2026-01-14', 0], // across the year end
    ['2025-12-15', '2026-01-15', 1],
  ] as const)('%s → %s: %i', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });
});

describe('lostContactStatus (失联)', () => {
  const input = (o: Partial<LostContactInput> & { leftOn: string }): LostContactInput => ({
    lastOrgLifeOn: null,
    lastDuesOn: null,
    lastReachedOn: null,
    ...o,
  });

  it.each([
    // leftOn, reached, org life, dues, today → level, last sign, kind, months, point, lost on
    [
      ['2026-10-01', null, null, null],
      '2026-11-20',
      'ok',
      '2026-10-01',
      'left',
      1,
      null,
      '2027-04-01',
    ],
    // Exactly 3 months: the first warning point.
    [
      ['2026-08-20', null, null, null],
      '2026-11-20',
      'warning',
      '2026-08-20',
      'left',
      3,
      3,
      '2027-02-20',
    ],
    [
      ['2026-08-21', null, null, null],
      '2026-11-20',
      'ok',
      '2026-08-21',
      'left',
      2,
      null,
      '2027-02-21',
    ],
    [
      ['2026-06-20', null, null, null],
      '2026-11-20',
      'warning',
      '2026-06-20',
      'left',
      5,
      5,
      '2026-12-20',
    ],
    // Exactly 6 months: lost (warningPoint is then null).
    [
      ['2026-05-20', null, null, null],
      '2026-11-20',
      'lost',
      '2026-05-20',
      'left',
      6,
      null,
      '2026-11-20',
    ],
    [
      ['2026-05-21', null, null, null],
      '2026-11-20',
      'warning',
      '2026-05-21',
      'left',
      5,
      5,
      '2026-11-21',
    ],
    // Month ends: 05-31 + 6 months = 11-30.
    [
      ['2026-05-31', null, null, null],
      '2026-11-30',
      'lost',
      '2026-05-31',
      'left',
      6,
      null,
      '2026-11-30',
    ],
    [
      ['2026-05-31', null, null, null],
      '2026-11-29',
      'warning',
      '2026-05-31',
      'left',
      5,
      5,
      '2026-11-30',
    ],
    [
      ['2026-08-31', null, null, null],
      '2027-02-28',
      'lost',
      '2026-08-31',
      'left',
      6,
      null,
      '2027-02-28',
    ],
    // 08-31 + 3 months clamps to 11-30: three whole months, the first warning point.
    [
      ['2026-08-31', null, null, null],
      '2026-11-30',
      'warning',
      '2026-08-31',
      'left',
      3,
      3,
      '2027-02-28',
    ],
    [
      ['2026-08-31', null, null, null],
      '2026-11-29',
      'ok',
      '2026-08-31',
      'left',
      2,
      null,
      '2027-02-28',
    ],
    // Leap years: 2023-08-31 + 6 months = 2024-02-29.
    [
      ['2023-08-31', null, null, null],
      '2024-02-28',
      'warning',
      '2023-08-31',
      'left',
      5,
      5,
      '2024-02-29',
    ],
    [
      ['2023-08-31', null, null, null],
      '2024-02-29',
      'lost',
      '2023-08-31',
      'left',
      6,
      null,
      '2024-02-29',
    ],
    [
      ['2024-02-29', null, null, null],
      '2024-08-29',
      'lost',
      '2024-02-29',
      'left',
      6,
      null,
      '2024-08-29',
    ],
    [
      ['2024-02-29', null, null, null],
      '2024-07-29',
      'warning',
      '2024-02-29',
      'left',
      5,
      5,
      '2024-08-29',
    ],
    // The latest sign of life counts, whatever its kind.
    [
      ['2026-01-10', '2026-09-01', null, null],
      '2026-11-20',
      'ok',
      '2026-09-01',
      'contact',
      2,
      null,
      '2027-03-01',
    ],
    [
      ['2026-01-10', '2026-03-01', '2026-07-15', null],
      '2026-11-20',
      'warning',
      '2026-07-15',
      'org_life',
      4,
      3,
      '2027-01-15',
    ],
    [
      ['2026-01-10', '2026-03-01', '2026-04-01', '2026-08-01'],
      '2026-11-20',
      'warning',
      '2026-08-01',
      'dues',
      3,
      3,
      '2027-02-01',
    ],
    [
      ['2026-01-10', '2026-03-01', '2026-04-01', '2026-05-01'],
      '2026-11-20',
      'lost',
      '2026-05-01',
      'dues',
      6,
      null,
      '2026-11-01',
    ],
    // Signs before leaving do not count: the episode's start does.
    [
      ['2026-09-01', '2026-02-01', '2026-02-01', '2026-02-01'],
      '2026-11-20',
      'ok',
      '2026-09-01',
      'left',
      2,
      null,
      '2027-03-01',
    ],
    // Ties: the day of leaving wins, then contact, then org life, then dues.
    [
      ['2026-09-01', '2026-09-01', null, null],
      '2026-11-20',
      'ok',
      '2026-09-01',
      'left',
      2,
      null,
      '2027-03-01',
    ],
    [
      ['2026-01-01', '2026-09-01', '2026-09-01', '2026-09-01'],
      '2026-11-20',
      'ok',
      '2026-09-01',
      'contact',
      2,
      null,
      '2027-03-01',
    ],
    [
      ['2026-01-01', null, '2026-09-01', '2026-09-01'],
      '2026-11-20',
      'ok',
      '2026-09-01',
      'org_life',
      2,
      null,
      '2027-03-01',
    ],
    // Long lost: months keep counting.
    [
      ['2024-11-20', null, null, null],
      '2026-11-20',
      'lost',
      '2024-11-20',
      'left',
      24,
      null,
      '2025-05-20',
    ],
  ] as const)('%j on %s → %s', (signs, today, level, lastSignOn, kind, months, point, lostOn) => {
    const [leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn] = signs;
    expect(
      lostContactStatus(input({ leftOn, lastReachedOn, lastOrgLifeOn, lastDuesOn }), today),
    ).toEqual({
      level,
      lastSignOn,
      lastSignKind: kind,
      monthsWithout: months,
      warningPoint: point,
      lostOn,
    });
  });

  it.each([
    // warning points, months since the last sign → level and the highest point reached
    [[2, 4], 1, 'ok', null],
    [[2, 4], 2, 'warning', 2],
    [[2, 4], 3, 'warning', 2],
    [[2, 4], 4, 'warning', 4],
    [[2, 4], 5, 'warning', 4],
    [[2, 4], 6, 'lost', null],
    [[1], 1, 'warning', 1],
    [[5], 4, 'ok', null],
    [[1, 2, 3, 4, 5], 3, 'warning', 3],
  ] as const)('points %j, %i months → %s (point %s)', (points, months, level, point) => {
    const today = '2026-11-15';
    const leftOn = `2026-${String(11 - months).padStart(2, '0')}-15`;
    const s = lostContactStatus(input({ leftOn }), today, points);
    expect(s.level).toBe(level);
    expect(s.warningPoint).toBe(point);
    expect(s.monthsWithout).toBe(months);
  });

  it('warns at 3 and 5 months by default, and only valid point lists are accepted', () => {
    expect(DEFAULT_WARNING_MONTHS).toEqual([3, 5]);
    expect(isValidWarningMonths([3, 5])).toBe(true);
    expect(isValidWarningMonths([1, 2, 3, 4, 5])).toBe(true);
    expect(isValidWarningMonths([])).toBe(false);
    expect(isValidWarningMonths([5, 3])).toBe(false);
    expect(isValidWarningMonths([3, 3])).toBe(false);
    expect(isValidWarningMonths([6])).toBe(false);
    expect(isValidWarningMonths([0, 3])).toBe(false);
    expect(isValidWarningMonths([2.5])).toBe(false);
  });
});

describe('suggestLostContactReason', () => {
  it.each([
    ['work', '440305', 'work_business'],
    ['business', '440305', 'work_business'],
    ['study', '110101', 'graduated'],
    ['family', '500101', 'moved'],
    ['elderly_care', '500101', 'moved'],
    ['unemployed', '500101', 'other'],
    ['other', null, 'other'],
    [null, null, 'other'],
    // Abroad wins over the reason (⑤出国(境)).
    ['work', '810000', 'abroad'],
    ['study', '710000', 'abroad'],
    ['family', '820000', 'abroad'],
  ] as const)('%s to %s → %s', (reason, code, expected) => {
    expect(suggestLostContactReason(reason, code)).toBe(expected);
  });
});
