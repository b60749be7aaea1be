import { sql } from 'drizzle-orm';
import { contact, liaison, liaisonAssignment, mobility, participation } from '../../db/schema';
import { queryRows } from '../../platform/db';
import type { TestApp } from '../../test/harness';
import { phoneBlindIndex } from '../members/member-fields';
import { LIAISON_PHONE_CONTEXT } from './liaisons.repository';

/**
 * Test fixtures for keeping in touch: outbound members, contacts, org life and dues written
 * straight to the tables (synthetic people only), so that a test can lay out dates exactly.
 */

export interface OutboundOpts {
  name?: string;
  phone?: string;
  leftOn?: string;
  destinationRegionCode?: string | null;
  reason?: string;
  status?: string;
}

export async function addOutbound(t: TestApp, home: { id: string }, o: OutboundOpts = {}) {
  const m = await t.addMember(home, {
    ...(o.name ? { name: o.name } : {}),
    ...(o.phone ? { phone: o.phone } : {}),
  });
  const leftOn = o.leftOn ?? '2026-10-01';
  const [row] = await t.db
    .insert(mobility)
    .values({
      memberId: m.id,
      direction: 'outflow',
      status: o.status ?? 'registered',
      homeOrgId: home.id,
      registeredOn: leftOn,
      leftOn,
      destinationRegionCode:
        o.destinationRegionCode === undefined ? '440305' : o.destinationRegionCode,
      reason: o.reason ?? 'work',
    })
    .returning();
  return { ...m, mobilityId: row!.id, leftOn, mobilityVersion: row!.version };
}

export async function addContactRow(
  t: TestApp,
  memberId: string,
  on: string,
  reached: boolean,
  channel = 'phone',
) {
  const [row] = await t.db
    .insert(contact)
    .values({ memberId, contactedOn: on, channel, reached })
    .returning();
  return row!.id;
}

export async function addParticipation(
  t: TestApp,
  memberId: string,
  kind: 'org_life' | 'dues',
  on: string,
) {
  await t.db.insert(participation).values({ memberId, kind, on, source: 'manual' });
}

export async function addLiaison(
  t: TestApp,
  orgId: string,
  o: { name?: string; accountId?: string | null; phone?: string } = {},
) {
  const [row] = await t.db
    .insert(liaison)
    .values({
      orgId,
      name: o.name ?? '测试联络员',
      accountId: o.accountId ?? null,
      phoneEnc: o.phone ? t.cipher.encrypt(o.phone, LIAISON_PHONE_CONTEXT) : null,
      phoneBidx: o.phone ? phoneBlindIndex(t.cipher, o.phone) : null,
    })
    .returning();
  return row!;
}

export async function addAssignment(
  t: TestApp,
  memberId: string,
  liaisonId: string,
  o: { intervalMonths?: number | null; category?: string; assignedOn?: string } = {},
) {
  const [row] = await t.db
    .insert(liaisonAssignment)
    .values({
      memberId,
      liaisonId,
      duty: '了解工作、生活和思想情况',
      assignedOn: o.assignedOn ?? '2026-10-01',
      intervalMonths: o.intervalMonths ?? null,
      category: o.category ?? 'domestic',
    })
    .returning();
  return row!;
}

/**
 * `n` outbound members of one org in two statements (set-based, for the bulk tests): names
 * 批量党员1…n, left on `leftOn`, every tenth one to 香港 (abroad for the schedule).
 */
export async function addOutboundBulk(t: TestApp, orgId: string, n: number, leftOn: string) {
  const rows = await queryRows<{ id: string }>(
    t.db,
    sql`with m as (
          insert into member (org_id, name, name_pinyin, name_initials, gender, membership)
          select ${orgId}, '批量党员' || g, 'piliangdangyuan' || g, 'pldy' || g, 'male', 'full'
            from generate_series(1, ${n}::int) g
          returning id, name
        )
        insert into mobility (member_id, direction, status, home_org_id, registered_on, left_on,
                              destination_region_code, reason)
        select m.id, 'outflow', 'registered', ${orgId}, ${leftOn}::date, ${leftOn}::date,
               case when substring(m.name from 5)::int % 10 = 0 then '810000' else '440305' end, 'work'
          from m
        returning member_id as id`,
  );
  return rows.map((r) => r.id);
}
