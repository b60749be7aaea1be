import { describe, it, expect } from 'vitest';
import { fixedClock, systemClock } from './clock';

describe('systemClock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const t = systemClock.now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});

describe('fixedClock', () => {
  it('stands still, advances and can be set', () => {
    const clock = fixedClock('2025-03-01T08:00:00Z');
    expect(clock.now().toISOString()).toBe('2025-03-01T08:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2025-03-01T08:00:00.000Z');
    clock.advance(15 * 60_000);
    expect(clock.now().toISOString()).toBe('2025-03-01T08:15:00.000Z');
    clock.advance(-1);
    expect(clock.now().toISOString()).toBe('2025-03-01T08:14:59.999Z');
    clock.set(new Date('2030-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('accepts a Date and is not moved by mutating what it returns or was given', () => {
    const start = new Date('2025-03-01T08:00:00Z');
    const clock = fixedClock(start);
    start.setUTCFullYear(1999);
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2025-03-01T08:00:00.000Z');
  });

  it('rejects invalid times', () => {
    expect(() => fixedClock('not a date')).toThrow(RangeError);
    expect(() => fixedClock('2025-01-01T00:00:00Z').set('nope')).toThrow(RangeError);
    expect(() => fixedClock('2025-01-01T00:00:00Z').advance(Number.NaN)).toThrow(RangeError);
  });
});
