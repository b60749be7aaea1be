import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CLOSED_MOBILITY_STATUSES,
  MOBILITY_STATUSES,
  MOBILITY_TRANSITIONS,
  canTransition,
  isOpenMobilityStatus,
  type MobilityStatus,
} from './mobility';

describe('mobility life cycle (DOMAIN.md §3)', () => {
  it.each([
    ['registered', 'informed', true],
    ['informed', 'contacted', true],
    ['contacted', 'settled', true],
    ['settled', 'serving', true],
    ['serving', 'returned', true],
    ['registered', 'transferred', true],
    ['registered', 'serving', false],
    ['serving', 'registered', false],
    ['returned', 'serving', false],
    ['ended', 'returned', false],
    ['settled', 'settled', false],
  ] as const)('%s → %s allowed: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
  });

  it('ends only in a closed status, and nothing leaves a closed status', () => {
    for (const s of CLOSED_MOBILITY_STATUSES) expect(MOBILITY_TRANSITIONS[s]).toEqual([]);
    for (const s of MOBILITY_STATUSES.filter(isOpenMobilityStatus)) {
      for (const end of CLOSED_MOBILITY_STATUSES) expect(canTransition(s, end)).toBe(true);
    }
  });

  it('never goes backwards: any path through the table visits statuses in order', () => {
    const order = (s: MobilityStatus) => MOBILITY_STATUSES.indexOf(s);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MOBILITY_STATUSES), { maxLength: 12 }), (steps) => {
        let at: MobilityStatus = 'registered';
        for (const next of steps) {
          if (!canTransition(at, next)) continue;
          expect(order(next)).toBeGreaterThan(order(at));
          at = next;
        }
      }),
    );
  });
});
