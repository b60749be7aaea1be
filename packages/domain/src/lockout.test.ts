import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_IP_THROTTLE,
  DEFAULT_LOCKOUT_POLICY,
  countFailuresInWindow,
  decideAfterFailure,
  failureWindowStart,
  isIpThrottled,
  isLocked,
} from './lockout';
import type { LockoutPolicy } from './lockout';

const T0 = Date.parse('2025-03-01T08:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000);
const sec = (s: number) => new Date(T0 + s * 1000);

describe('decideAfterFailure', () => {
  it.each([
    ['no earlier failures', [0], 0, null],
    ['4 failures in the window', [0, 1, 2, 3], 3, null],
    ['5th failure within a minute', [0, 0.2, 0.4, 0.6, 0.8], 0.8, 30.8],
    ['5th failure at minute 14', [0, 1, 2, 3, 14], 14, 44],
    // the window is closed: a failure exactly 15 minutes old still counts
    ['5th failure exactly 15 minutes after the 1st', [0, 1, 2, 3, 15], 15, 45],
    ['oldest failure 15 min + 1 s old', [0, 1, 2, 3, 15 + 1 / 60], 15 + 1 / 60, null],
    ['old failures outside the window are ignored', [-60, -30, -16, 1, 2, 3], 3, null],
    ['6 failures, 5 in the window', [-20, 0, 1, 2, 3, 4], 4, 34],
    ['failure times in any order', [3, 0, 2, 1, 4], 4, 34],
    // a failure stamped slightly later by another instance's clock still counts
    ['one failure in the future (clock skew)', [0, 1, 2, 3, 4.01], 4, 34],
  ])('%s', (_label, failures, asOfMin, lockedUntilMin) => {
    const r = decideAfterFailure(failures.map(min), { asOf: min(asOfMin) });
    expect(r.lockedUntil).toEqual(lockedUntilMin === null ? null : min(lockedUntilMin));
  });

  it('uses a configured policy', () => {
    const policy: LockoutPolicy = { maxFailures: 3, windowMinutes: 5, lockMinutes: 60 };
    expect(decideAfterFailure([min(0), min(1)], { asOf: min(1), policy }).lockedUntil).toBeNull();
    expect(
      decideAfterFailure([min(0), min(1), min(5)], { asOf: min(5), policy }).lockedUntil,
    ).toEqual(min(65));
    expect(
      decideAfterFailure([min(0), min(1), min(5)], { asOf: sec(5 * 60 + 1), policy }).lockedUntil,
    ).toBeNull();
  });

  it('ignores invalid dates', () => {
    const bad = new Date(Number.NaN);
    expect(
      decideAfterFailure([bad, bad, bad, bad, min(0)], { asOf: min(0) }).lockedUntil,
    ).toBeNull();
  });
});

describe('failureWindowStart / countFailuresInWindow', () => {
  it('starts the window windowMinutes before asOf', () => {
    expect(failureWindowStart(min(20))).toEqual(min(5));
    expect(failureWindowStart(min(20), { windowMinutes: 1 })).toEqual(min(19));
  });

  it('counts the edge and excludes older failures', () => {
    expect(countFailuresInWindow([min(5), sec(5 * 60 - 1), min(20)], min(20))).toBe(2);
  });
});

describe('isLocked', () => {
  it.each([
    [null, 0, false],
    [undefined, 0, false],
    [30, 0, true],
    [30, 29.99, true],
    [30, 30, false], // free again at the exact end
    [30, 31, false],
  ])('lockedUntil %s, at %s → %s', (until, at, expected) => {
    const lockedUntil = until === null || until === undefined ? until : min(until);
    expect(isLocked(lockedUntil, min(at))).toBe(expected);
  });

  it('a lock from decideAfterFailure holds for exactly lockMinutes', () => {
    const { lockedUntil } = decideAfterFailure([0, 1, 2, 3, 4].map(min), { asOf: min(4) });
    expect(isLocked(lockedUntil, min(4))).toBe(true);
    expect(isLocked(lockedUntil, sec(34 * 60 - 1))).toBe(true);
    expect(isLocked(lockedUntil, min(34))).toBe(false);
  });
});

describe('isIpThrottled', () => {
  it.each([
    [0, false],
    [19, false],
    [20, true],
    [500, true],
  ])('%i failures → %s', (n, expected) => {
    expect(isIpThrottled(n)).toBe(expected);
  });

  it('uses a configured policy', () => {
    expect(isIpThrottled(3, { maxFailures: 3, windowMinutes: 1 })).toBe(true);
    expect(isIpThrottled(2, { maxFailures: 3, windowMinutes: 1 })).toBe(false);
    expect(isIpThrottled(DEFAULT_IP_THROTTLE.maxFailures - 1)).toBe(false);
  });
});

describe('lockout properties', () => {
  const offsetsSec = fc.array(fc.integer({ min: -3600, max: 0 }), { maxLength: 20 });

  it('locks exactly when at least maxFailures lie within the window', () => {
    fc.assert(
      fc.property(offsetsSec, (offsets) => {
        const asOf = sec(0);
        const times = [...offsets.map(sec), asOf];
        const inWindow = times.filter((t) => t.getTime() >= asOf.getTime() - 15 * 60_000).length;
        const { lockedUntil } = decideAfterFailure(times, { asOf });
        expect(lockedUntil !== null).toBe(inWindow >= DEFAULT_LOCKOUT_POLICY.maxFailures);
        if (lockedUntil) expect(lockedUntil.getTime() - asOf.getTime()).toBe(30 * 60_000);
      }),
    );
  });

  it('adding a failure never lifts a lock decision', () => {
    fc.assert(
      fc.property(offsetsSec, fc.integer({ min: -3600, max: 0 }), (offsets, extra) => {
        const asOf = sec(0);
        const times = offsets.map(sec);
        const before = decideAfterFailure(times, { asOf }).lockedUntil;
        const after = decideAfterFailure([...times, sec(extra)], { asOf }).lockedUntil;
        if (before) expect(after).toEqual(before);
      }),
    );
  });
});
