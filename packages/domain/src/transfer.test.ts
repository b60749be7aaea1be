import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween } from './calendar';
import {
  DEFAULT_TRANSFER_LIMITS,
  TRANSFER_MAX_DAYS,
  TRANSFER_STATUSES,
  canTransferTransition,
  formatLetterNumber,
  isOpenTransferStatus,
  isTransferOverdue,
  letterDueOn,
  letterPrefixOf,
  receiptDateProblem,
  TRANSFER_RECEIVING_ORG_KINDS,
  transferOverdueDays,
  transferRange,
} from './transfer';

describe('transfer life cycle', () => {
  // Rows: from; columns in TRANSFER_STATUSES order (requested, approved, completed, rejected, cancelled).
  const TABLE: Record<string, string> = {
    requested: '01011',
    approved: '00101',
    completed: '00000',
    rejected: '00000',
    cancelled: '00000',
  };
  const cases = TRANSFER_STATUSES.flatMap((from) =>
    TRANSFER_STATUSES.map((to, i) => [from, to, TABLE[from]![i] === '1'] as const),
  );
  it.each(cases)('%s → %s: %s', (from, to, expected) => {
    expect(canTransferTransition(from, to)).toBe(expected);
  });

  it('only requested and approved transfers are open', () => {
    expect(TRANSFER_STATUSES.filter(isOpenTransferStatus)).toEqual(['requested', 'approved']);
  });
});

describe('letter validity', () => {
  it.each([
    ['511922', '511902', 'within_city'],
    ['511922', '510104', 'elsewhere'],
    ['511922', '440304', 'elsewhere'],
    ['511922', null, 'elsewhere'],
    [null, '511922', 'elsewhere'],
  ] as const)('%s → %s is %s', (from, to, range) => {
    expect(transferRange(from, to)).toBe(range);
  });

  it.each([
    ['2026-11-21', 'within_city', '2026-12-01'],
    ['2026-11-21', 'elsewhere', '2026-12-21'],
    ['2024-02-20', 'within_city', '2024-03-01'],
    ['2023-02-20', 'within_city', '2023-03-02'],
    ['2026-12-25', 'elsewhere', '2027-01-24'],
  ] as const)('a letter of %s (%s) is valid through %s', (issued, range, due) => {
    expect(letterDueOn(issued, range, DEFAULT_TRANSFER_LIMITS)).toBe(due);
  });

  it('never allows more than three months, whatever the setting', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (days) => {
        const due = letterDueOn('2026-01-01', 'elsewhere', {
          withinCityDays: days,
          elsewhereDays: days,
        });
        expect(daysBetween('2026-01-01', due)).toBe(Math.min(days, TRANSFER_MAX_DAYS));
      }),
    );
  });

  it('is overdue from the day after its last valid day, and only while waiting for the receipt', () => {
    const t = { status: 'approved' as const, dueOn: '2026-12-01' };
    expect(isTransferOverdue(t, '2026-12-01')).toBe(false);
    expect(isTransferOverdue(t, '2026-12-02')).toBe(true);
    expect(transferOverdueDays(t, '2026-12-11')).toBe(10);
    expect(isTransferOverdue({ ...t, status: 'completed' }, '2027-06-01')).toBe(false);
    expect(isTransferOverdue({ ...t, status: 'requested', dueOn: null }, '2027-06-01')).toBe(false);
    expect(transferOverdueDays({ ...t, status: 'completed' }, '2027-06-01')).toBe(0);
  });

  it('adds days across month and year ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2000, max: 2000 }), (n) => {
        expect(daysBetween('2024-02-29', addDays('2024-02-29', n))).toBe(n);
      }),
    );
  });

  it('formats letter numbers as printed', () => {
    expect(formatLetterNumber('南组转', 2026, 17)).toBe('南组转〔2026〕17号');
  });

  it.each([
    ['南岭县委', '南岭组转'],
    ['中共南岭县委员会', '南岭组转'],
    ['中共成都市锦江区委员会', '成都组转'],
    ['峨边彝族自治县委', '峨边彝族组转'],
    ['矩阵党委', '矩阵组转'],
    ['', '组转'],
    [null, '组转'],
  ] as const)('takes the letter prefix of %j as %s', (name, prefix) => {
    expect(letterPrefixOf(name)).toBe(prefix);
  });
});

describe('receipt', () => {
  it.each([
    ['2026-11-20', '2026-11-10', '2026-11-20', null],
    ['2026-11-10', '2026-11-10', '2026-11-20', null],
    ['2026-11-09', '2026-11-10', '2026-11-20', '回执日期不能早于介绍信开具日期'],
    ['2026-11-21', '2026-11-10', '2026-11-20', '回执日期不能晚于今天'],
    ['2026-11-01', null, '2026-11-20', null],
  ] as const)('received %s on a letter of %s, today %s: %s', (on, issued, today, problem) => {
    expect(receiptDateProblem(on, issued, today)).toBe(problem);
  });

  it('is received by branches, general branches and mobile Party orgs only', () => {
    expect([...TRANSFER_RECEIVING_ORG_KINDS].sort()).toEqual([
      'branch',
      'general_branch',
      'mobile_party_org',
    ]);
  });
});
