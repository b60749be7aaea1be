import { eq } from 'drizzle-orm';
import { DEFAULT_SECURITY_POLICY, SecurityPolicy } from '@liudong/contracts';
export { DEFAULT_SECURITY_POLICY, SecurityPolicy };
import { appSetting } from '../db/schema';
import type { Db, Tx } from './db';

const KEY = 'security_policy';

export async function loadSecurityPolicy(db: Db | Tx): Promise<SecurityPolicy> {
  const [row] = await db.select().from(appSetting).where(eq(appSetting.key, KEY));
  return securityPolicyOf(row?.value);
}

/** The stored value over the defaults; the defaults when nothing (valid) is stored. */
export function securityPolicyOf(stored: unknown): SecurityPolicy {
  if (stored === null || stored === undefined) return DEFAULT_SECURITY_POLICY;
  const parsed = SecurityPolicy.safeParse({ ...DEFAULT_SECURITY_POLICY, ...(stored as object) });
  return parsed.success ? parsed.data : DEFAULT_SECURITY_POLICY;
}

export const SECURITY_POLICY_KEY = KEY;
