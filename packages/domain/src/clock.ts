// Every rule that depends on "now" (lockout, session expiry, overdue reviews, lost contact) takes a
// Clock so that tests can control time (SECURITY.md 2: "Tested with an injectable clock").

export interface Clock {
  now(): Date;
}

export interface FixedClock extends Clock {
  advance(ms: number): void;
  set(at: Date | string): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

function toTime(at: Date | string): number {
  const t = (typeof at === 'string' ? new Date(at) : at).getTime();
  if (Number.isNaN(t)) throw new RangeError(`Invalid clock time: ${String(at)}`);
  return t;
}

/** A clock that stands still until told to move; for tests. */
export function fixedClock(at: Date | string): FixedClock {
  let current = toTime(at);
  return {
    // A fresh Date each time: a caller mutating the returned object must not move the clock.
    now: () => new Date(current),
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`Invalid clock step: ${ms}`);
      current += ms;
    },
    set(next: Date | string) {
      current = toTime(next);
    },
  };
}
