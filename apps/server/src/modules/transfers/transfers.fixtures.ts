import { transfer } from '../../db/schema';
import type { TestApp } from '../../test/harness';

let letterSeq = 0;

/**
 * Test fixture (authorization matrix and transfers.test.ts): a transfer written straight to the
 * table, sent from `fromOrgId` (the member's org of affiliation) to an org outside the system
 * unless `toOrgId` is given. `approved` carries a letter of its own (county 999999, never
 * allocated by the API) issued on 2026-11-01 and valid through 2026-12-01.
 */
export async function addTransferFixture(
  t: TestApp,
  o: {
    memberId: string;
    fromOrgId: string;
    status?: 'requested' | 'approved';
    toOrgId?: string;
    requestedOn?: string;
  },
): Promise<{ id: string; version: number; letterNumber: string | null }> {
  const approved = o.status === 'approved';
  const seq = approved ? ++letterSeq : null;
  const [row] = await t.db
    .insert(transfer)
    .values({
      memberId: o.memberId,
      fromOrgId: o.fromOrgId,
      toOrgId: o.toOrgId ?? null,
      toOrgText: o.toOrgId ? null : '中共深圳市南山区粤海街道某社区委员会',
      toRegionCode: o.toOrgId ? null : '440305',
      reason: '工作调动，长期在外',
      status: o.status ?? 'requested',
      requestedOn: o.requestedOn ?? '2026-10-20',
      ...(approved
        ? {
            decidedOn: '2026-11-01',
            letterNumber: `测试组转〔2026〕${seq}号`,
            letterCountyCode: '999999',
            letterYear: 2026,
            letterSeq: seq,
            letterIssuedOn: '2026-11-01',
            dueOn: '2026-12-01',
          }
        : {}),
    })
    .returning();
  return { id: row!.id, version: row!.version, letterNumber: row!.letterNumber };
}

/**
 * For the authorization matrix: a transfer of a fresh member whose org of affiliation is the org
 * at the position, sent from that org to an org outside the system.
 */
export async function transferAt<P>(
  fx: {
    t: TestApp;
    memberAt(p: P): Promise<{ id: string; name: string }>;
    orgAt(p: P): Promise<{ id: string }>;
  },
  p: P,
  status: 'requested' | 'approved' = 'requested',
) {
  const m = await fx.memberAt(p);
  const from = await fx.orgAt(p);
  const row = await addTransferFixture(fx.t, { memberId: m.id, fromOrgId: from.id, status });
  return { ...row, memberId: m.id, memberName: m.name };
}
