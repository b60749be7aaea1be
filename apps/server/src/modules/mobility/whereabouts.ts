import type { WhereaboutsUpdate } from '@liudong/contracts';
import { mobilityRangeOf } from '@liudong/domain';
import type { FieldCipher } from '../../platform/crypto';
import type { Tx } from '../../platform/db';
import { invalidField, notFound, versionConflict } from '../../platform/errors';
import { FIELD } from '../members/member-fields';
import * as repo from './mobility.repository';

/**
 * A contact or a census verification found the member somewhere else (issue 4 §2, §5): the open
 * episode's destination, address and employer change in the caller's transaction, with the
 * range (跨省 / 省内 / 市内) recomputed and a timeline entry that says where the news came from.
 * Optimistic locking as for every edit (SECURITY.md 26). The caller has checked the scope.
 */
export async function updateWhereabouts(
  tx: Tx,
  opts: {
    cipher: FieldCipher;
    mobilityId: string;
    version: number;
    input: WhereaboutsUpdate;
    actorAccountId: string | null;
    at: Date;
    /** Shown on the member's timeline, e.g. "联系时更新去向" or "摸排核实：去向有变化". */
    note: string;
  },
) {
  const { cipher, input } = opts;
  if (!(await repo.regionExists(tx, input.destinationRegionCode)))
    throw invalidField('whereabouts.destinationRegionCode', '行政区划代码不存在');
  const current = await repo.lockMobility(tx, opts.mobilityId);
  if (!current) throw notFound('流动登记');
  if (current.version !== opts.version) throw versionConflict();
  const home = current.homeOrgId ? await repo.orgById(tx, current.homeOrgId) : null;
  const homeRegion = home ? await repo.regionOfOrg(tx, home.path) : current.homeRegionCode;
  const row = await repo.updateMobility(
    tx,
    current.id,
    opts.version,
    {
      destinationRegionCode: input.destinationRegionCode,
      destinationAddressEnc: input.destinationAddress
        ? cipher.encrypt(input.destinationAddress, FIELD.destinationAddress.context)
        : null,
      employer: input.employer || null,
      ...(current.direction === 'outflow'
        ? { mobilityRange: mobilityRangeOf(homeRegion, input.destinationRegionCode) }
        : {}),
    },
    opts.at,
  );
  if (!row) throw versionConflict();
  await repo.insertTransition(tx, {
    mobilityId: row.id,
    fromStatus: current.status,
    toStatus: current.status,
    at: opts.at,
    actorAccountId: opts.actorAccountId,
    note: opts.note,
  });
  return { before: current, after: row };
}
