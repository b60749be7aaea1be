// Account lockout and IP throttling (SECURITY.md 2 and 3; GB/T 22239-2019 8.1.4.1 b: "login
// failure handling": end the session, limit the number of attempts, lock automatically).
// Pure decisions: the server stores the failures and the lock and passes the clock's time in.

export interface LockoutPolicy {
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

/** SECURITY.md 2: 5 failures in 15 minutes lock the account for 30 minutes (configurable). */
export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  maxFailures: 5,
  windowMinutes: 15,
  lockMinutes: 30,
};

export interface IpThrottlePolicy {
  maxFailures: number;
  windowMinutes: number;
}

/** SECURITY.md 3: many failures from one IP across accounts are throttled. */
export const DEFAULT_IP_THROTTLE: IpThrottlePolicy = { maxFailures: 20, windowMinutes: 15 };

const MS_PER_MINUTE = 60_000;

/**
 * Start of the failure window ending at `asOf`. A failure exactly `windowMinutes` old still
 * counts (the window is closed at both ends): "5 in 15 minutes" includes the 15th minute.
 */
export function failureWindowStart(
  asOf: Date,
  policy: Pick<LockoutPolicy, 'windowMinutes'> = DEFAULT_LOCKOUT_POLICY,
): Date {
  return new Date(asOf.getTime() - policy.windowMinutes * MS_PER_MINUTE);
}

/** Failures not older than the window. Later-than-asOf times (clock skew between app instances)
 * count too: skew must never let an attacker slip under the limit. */
export function countFailuresInWindow(
  failureTimes: readonly Date[],
  asOf: Date,
  policy: Pick<LockoutPolicy, 'windowMinutes'> = DEFAULT_LOCKOUT_POLICY,
): number {
  const start = failureWindowStart(asOf, policy).getTime();
  return failureTimes.filter((t) => t.getTime() >= start).length;
}

/**
 * Decision after a failed login. `failureTimes` are the account's recent failures including the
 * one just made; reaching `maxFailures` within the window locks the account from `asOf` for
 * `lockMinutes`.
 */
export function decideAfterFailure(
  failureTimes: readonly Date[],
  opts: { asOf: Date; policy?: LockoutPolicy },
): { lockedUntil: Date | null } {
  const policy = opts.policy ?? DEFAULT_LOCKOUT_POLICY;
  const count = countFailuresInWindow(failureTimes, opts.asOf, policy);
  if (count < policy.maxFailures) return { lockedUntil: null };
  return { lockedUntil: new Date(opts.asOf.getTime() + policy.lockMinutes * MS_PER_MINUTE) };
}

/** Locked while asOf is before lockedUntil; at lockedUntil itself the account is free again. */
export function isLocked(lockedUntil: Date | null | undefined, asOf: Date): boolean {
  if (!lockedUntil) return false;
  return asOf.getTime() < lockedUntil.getTime();
}

/** `failuresFromIpInWindow`: failed logins from one IP, over all accounts, in the window. */
export function isIpThrottled(
  failuresFromIpInWindow: number,
  policy: IpThrottlePolicy = DEFAULT_IP_THROTTLE,
): boolean {
  return failuresFromIpInWindow >= policy.maxFailures;
}
