import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { CLOSED_MOBILITY_STATUSES, TRANSFER_AFTER_MONTHS } from '@liudong/domain';
import { member, mobility, mobilityTransition, org, region } from '../../db/schema';
import { withinScope, type Actor } from '../../platform/actor';
import { queryRows, type Db, type Tx } from '../../platform/db';
import { orgIdsUnder } from '../orgs/orgs.repository';

export type MobilityRow = typeof mobility.$inferSelect;
export type MobilityInsert = typeof mobility.$inferInsert;
type Handle = Db | Tx;

const closedStatuses = sql.join(
  CLOSED_MOBILITY_STATUSES.map((s) => sql`${s}`),
  sql`, `,
);

const homeOrg = alias(org, 'home_org');
const hostOrg = alias(org, 'host_org');
const r1 = alias(region, 'r1');
const r2 = alias(region, 'r2');
const r3 = alias(region, 'r3');

// As in members.repository.ts, the predicates name the outer tables ("mobility", "home_org",
// "host_org") explicitly: Drizzle renders columns unqualified in select fields.
const under = (path: string, column: SQL) => withinScope({ orgPath: path } as Actor, column);
const homeUnder = (path: string) => sql`coalesce(${under(path, sql`"home_org"."path"`)}, false)`;
const hostUnder = (path: string) => sql`coalesce(${under(path, sql`"host_org"."path"`)}, false)`;
/** Home side by the home org, host side by the host org (issue 3 §4). */
const visibleUnder = (path: string) => sql`(${homeUnder(path)} or ${hostUnder(path)})`;

/**
 * "The affiliation should be transferred" (shouldTransferAffiliation in packages/domain), in SQL
 * exactly as the dashboard counts it: PostgreSQL's `+ interval 'n months'` clamps at month end
 * like the domain's addMonths.
 */
function shouldTransferSql(asOf: string): SQL {
  return sql`("mobility"."direction" = 'outflow' and "mobility"."status" not in (${closedStatuses})
    and ("mobility"."status" in ('settled','serving') or "mobility"."checked_in_on" is not null)
    and ("mobility"."left_on" + ${`${TRANSFER_AFTER_MONTHS} months`}::interval)::date <= ${asOf}::date)`;
}

function ledgerFields(actor: Actor, asOf: string) {
  return {
    mobility,
    memberName: member.name,
    phoneEnc: member.phoneEnc,
    homeOrgName: sql<string | null>`coalesce("home_org"."name", "mobility"."home_org_text")`,
    hostOrgName: sql<string | null>`coalesce("host_org"."name", "mobility"."host_org_text")`,
    regionName: r1.name,
    regionParentName: r2.name,
    regionGrandparentName: r3.name,
    homeInScope: sql<boolean>`${homeUnder(actor.orgPath)}`,
    hostInScope: sql<boolean>`${hostUnder(actor.orgPath)}`,
    shouldTransfer: sql<boolean>`${shouldTransferSql(asOf)}`,
  };
}

function ledgerQuery(handle: Handle, actor: Actor, asOf: string) {
  return handle
    .select(ledgerFields(actor, asOf))
    .from(mobility)
    .innerJoin(member, eq(member.id, mobility.memberId))
    .leftJoin(homeOrg, eq(homeOrg.id, mobility.homeOrgId))
    .leftJoin(hostOrg, eq(hostOrg.id, mobility.hostOrgId))
    .leftJoin(r1, eq(r1.code, mobility.destinationRegionCode))
    .leftJoin(r2, eq(r2.code, r1.parentCode))
    .leftJoin(r3, eq(r3.code, r2.parentCode));
}

export type LedgerRow = Awaited<ReturnType<typeof ledgerQuery>>[number];

/**
 * One episode with its place names and on which side it lies in the actor's scope, in one query:
 * a missing and an out-of-scope id are answered alike by the caller (SECURITY.md 9).
 */
export async function findWithScope(handle: Handle, actor: Actor, id: string, asOf: string) {
  const [row] = await ledgerQuery(handle, actor, asOf).where(eq(mobility.id, id));
  return row ?? null;
}

export interface LedgerFilter {
  direction?: string | undefined;
  status?: string | undefined;
  underPath?: string | undefined;
  shouldTransfer?: boolean | undefined;
  after?: { leftOn: string; id: string } | undefined;
  limit: number;
}

/** The ledger (台账), scoped in the SQL, newest departure first, keyset-paginated. */
export async function ledger(handle: Handle, actor: Actor, asOf: string, f: LedgerFilter) {
  const where: (SQL | undefined)[] = [visibleUnder(actor.orgPath)];
  if (f.underPath) where.push(visibleUnder(f.underPath));
  // A street's or a county's ledger starts from its orgs' episodes (the home and host org
  // indexes) and sorts those few; without the ids the planner walks mobility_ledger_idx over the
  // whole province looking for them (6 s a page under load; issue 5, bench/FINDINGS.md). The
  // scope conditions above stay: the ids only narrow what they already mean.
  const ids = await orgIdsUnder(handle, f.underPath ?? actor.orgPath);
  if (ids !== null)
    where.push(
      sql`("mobility"."home_org_id" = any(${ids}::uuid[]) or "mobility"."host_org_id" = any(${ids}::uuid[]))`,
    );
  if (f.direction) where.push(eq(mobility.direction, f.direction));
  if (f.status) where.push(eq(mobility.status, f.status));
  if (f.shouldTransfer === true) where.push(shouldTransferSql(asOf));
  if (f.shouldTransfer === false) where.push(sql`not ${shouldTransferSql(asOf)}`);
  if (f.after)
    where.push(
      sql`("mobility"."left_on", "mobility"."id") < (${f.after.leftOn}::date, ${f.after.id}::uuid)`,
    );
  return ledgerQuery(handle, actor, asOf)
    .where(and(...where))
    .orderBy(desc(mobility.leftOn), desc(mobility.id))
    .limit(f.limit + 1);
}

/** The episode, locked for a change (the version is checked by the caller). */
export async function lockMobility(tx: Tx, id: string) {
  const [row] = await tx.select().from(mobility).where(eq(mobility.id, id)).for('update');
  return row ?? null;
}

/** Serializes registrations for one member (the unique partial index is the last line). */
export async function lockMember(tx: Tx, id: string) {
  const [row] = await tx
    .select({ id: member.id, orgId: member.orgId })
    .from(member)
    .where(eq(member.id, id))
    .for('update');
  return row ?? null;
}

export async function openOutflowOf(handle: Handle, memberId: string) {
  const [row] = await handle
    .select({ id: mobility.id, status: mobility.status, leftOn: mobility.leftOn })
    .from(mobility)
    .where(
      and(
        eq(mobility.memberId, memberId),
        eq(mobility.direction, 'outflow'),
        sql`${mobility.status} not in (${closedStatuses})`,
      ),
    )
    .orderBy(desc(mobility.leftOn))
    .limit(1);
  return row ?? null;
}

export async function insertMobility(tx: Tx, values: MobilityInsert) {
  const [row] = await tx.insert(mobility).values(values).returning();
  return row!;
}

export async function insertTransition(
  tx: Tx,
  values: typeof mobilityTransition.$inferInsert,
): Promise<void> {
  await tx.insert(mobilityTransition).values(values);
}

/** Optimistic locking (SECURITY.md 26): null when the version moved on. */
export async function updateMobility(
  tx: Tx,
  id: string,
  version: number,
  values: Partial<MobilityInsert>,
  at: Date,
) {
  const [row] = await tx
    .update(mobility)
    .set({ ...values, version: version + 1, updatedAt: at })
    .where(and(eq(mobility.id, id), eq(mobility.version, version)))
    .returning();
  return row ?? null;
}

export async function regionExists(handle: Handle, code: string) {
  const [row] = await handle
    .select({ code: region.code })
    .from(region)
    .where(eq(region.code, code));
  return !!row;
}

/** Any org of the system, in scope or not: used only to check a reference exists. */
export async function orgById(handle: Handle, id: string) {
  const [row] = await handle
    .select({ id: org.id, name: org.name, path: org.path, regionCode: org.regionCode })
    .from(org)
    .where(eq(org.id, id));
  return row ?? null;
}

/**
 * The region an org lies in: its own code or the nearest ancestor's (branches rarely carry a
 * code; their county committee does). One indexed query over the path's ancestors.
 */
export async function regionOfOrg(handle: Handle, path: string): Promise<string | null> {
  const [row] = await queryRows<{ region_code: string }>(
    handle,
    sql`select region_code from org
         where ${path} like path || '%' and region_code is not null
         order by depth desc limit 1`,
  );
  return row?.region_code ?? null;
}

/** Open outflows whose home org is in the scope, with a destination (temporary branches). */
export async function openOutflowsInScope(handle: Handle, actor: Actor) {
  return handle
    .select({
      id: mobility.id,
      memberId: mobility.memberId,
      memberName: member.name,
      homeOrgId: mobility.homeOrgId,
      homeOrgName: homeOrg.name,
      destinationRegionCode: mobility.destinationRegionCode,
    })
    .from(mobility)
    .innerJoin(member, eq(member.id, mobility.memberId))
    .innerJoin(homeOrg, eq(homeOrg.id, mobility.homeOrgId))
    .where(
      and(
        eq(mobility.direction, 'outflow'),
        sql`${mobility.status} not in (${closedStatuses})`,
        sql`${mobility.destinationRegionCode} is not null`,
        under(actor.orgPath, sql`"home_org"."path"`),
      ),
    )
    .orderBy(asc(mobility.id));
}

export async function regionNames(handle: Handle, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await handle
    .select({ code: region.code, name: region.name })
    .from(region)
    .where(
      sql`${region.code} in (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** True for the violation of `mobility_one_open_outflow` (a concurrent second registration). */
export function isSecondOpenOutflow(err: unknown): boolean {
  const e = err as { cause?: unknown };
  const c = (e.cause ?? e) as { code?: unknown; constraint?: unknown };
  return c.code === '23505' && c.constraint === 'mobility_one_open_outflow';
}
