import type { SecurityPolicy } from '@liudong/contracts';
import { appSetting } from '../../db/schema';
import { requireActor, type RequestContext } from '../../platform/actor';
import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db';
import { SECURITY_POLICY_KEY, loadSecurityPolicy } from '../../platform/security-policy';

export function createSecurityPolicyService(deps: { db: Db }) {
  const { db } = deps;

  const get = () => loadSecurityPolicy(db);

  /** A config change, audited with before and after (SECURITY.md 18). */
  async function update(ctx: RequestContext, policy: SecurityPolicy) {
    const actor = requireActor(ctx);
    const before = await loadSecurityPolicy(db);
    await db.transaction(async (tx) => {
      await tx
        .insert(appSetting)
        .values({
          key: SECURITY_POLICY_KEY,
          value: policy,
          updatedAt: ctx.clock.now(),
          updatedBy: actor.accountId,
        })
        .onConflictDoUpdate({
          target: appSetting.key,
          set: { value: policy, updatedAt: ctx.clock.now(), updatedBy: actor.accountId },
        });
      await writeAudit(tx, ctx, {
        action: 'config.change',
        result: 'success',
        targetType: 'app_setting',
        targetId: SECURITY_POLICY_KEY,
        targetLabel: '安全策略',
        before: { ...before },
        after: { ...policy },
      });
    });
    return policy;
  }

  return { get, update };
}
