import { eq } from 'drizzle-orm';
import { SecurityPolicy } from '@liudong/contracts';
import { DEFAULT_IP_THROTTLE, DEFAULT_LOCKOUT_POLICY } from '@liudong/domain';
export { SecurityPolicy };
import { appSetting } from '../db/schema';
import type { Db, Tx } from './db';

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  lockout: { ...DEFAULT_LOCKOUT_POLICY },
  ipThrottle: { ...DEFAULT_IP_THROTTLE },
  idleMinutes: 30,
  absoluteHours: 12,
  adminPasswordMaxAgeDays: 90,
  passwordHistory: 5,
  auditRetentionMonths: 6,
};

const KEY = 'security_policy';

export async function loadSecurityPolicy(db: Db | Tx): Promise<SecurityPolicy> {
  const [row] = await db.select().from(appSetting).where(eq(appSetting.key, KEY));
  if (!row) return DEFAULT_SECURITY_POLICY;
  const parsed = SecurityPolicy.safeParse({
    ...DEFAULT_SECURITY_POLICY,
    ...(row.value as object),
  });
  return parsed.success ? parsed.data : DEFAULT_SECURITY_POLICY;
}

export const SECURITY_POLICY_KEY = KEY;
